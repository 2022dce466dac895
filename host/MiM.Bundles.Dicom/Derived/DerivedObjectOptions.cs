namespace MiM.Bundles.Dicom.Derived;

/// <summary>What a site or destination may set on every derived object (DICOM-SEG, SR) the host writes.</summary>
public record DerivedObjectOptions
{
    /// <summary>Series Number of the result's series.</summary>
    public int SeriesNumber { get; init; } = 900;

    /// <summary>Series Description; null for "&lt;kind&gt; &lt;bundle&gt; &lt;version&gt;" (cut to 64 characters).</summary>
    public string? SeriesDescription { get; init; }

    /// <summary>Instance Number of the object.</summary>
    public int InstanceNumber { get; init; } = 1;

    /// <summary>Manufacturer (General and Enhanced General Equipment).</summary>
    public string Manufacturer { get; init; } = "MiM.Bundles";

    /// <summary>Manufacturer's Model Name.</summary>
    public string ManufacturerModelName { get; init; } = "mim";

    /// <summary>Device Serial Number (Type 1 in Enhanced General Equipment).</summary>
    public string DeviceSerialNumber { get; init; } = "1";

    /// <summary>Software Versions; null for this library's assembly version.</summary>
    public string? SoftwareVersions { get; init; }

    /// <summary>Distinguishes results of the same bundle on the same series; null for a new random one per object.</summary>
    public Guid? Nonce { get; init; }

    /// <summary>Content and instance creation date/time; null for now (UTC).</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The software version written when <see cref="SoftwareVersions"/> is null.</summary>
    internal string SoftwareVersionsOrDefault =>
        SoftwareVersions ?? typeof(DerivedObjectOptions).Assembly.GetName().Version?.ToString(3) ?? "0";
}
