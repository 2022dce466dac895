namespace MiM.Bundles.Dicom.Dump;

/// <summary>Options of the DICOM JSON rendering.</summary>
public sealed record DicomJsonOptions
{
    /// <summary>The defaults: indented, pixel data left out.</summary>
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>
    /// When true native pixel data (7FE0,0008/0009/0010) is written as InlineBinary (and read from the file if
    /// deferred); when false it is written with its VR only, as this model has no BulkDataURI to point to.
    /// Encapsulated pixel data is always written with its VR only: the JSON model has no form for fragments.
    /// </summary>
    public bool IncludePixelData { get; init; }

    /// <summary>Indent the output.</summary>
    public bool Indented { get; init; } = true;
}
