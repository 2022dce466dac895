namespace MiM.Bundles.Dicom.SeriesWriting;

/// <summary>
/// The scanner and reconstruction attributes a CT series carries besides its voxels: what a radiologist sees in the
/// header of a routine contrast abdominal CT. The values describe the acquisition; nothing in this project reads them
/// back to compute with.
/// </summary>
public sealed record CtAcquisition
{
    /// <summary>Manufacturer (LO).</summary>
    public string Manufacturer { get; init; } = "MiM.Bundles";

    /// <summary>Manufacturer's Model Name (LO).</summary>
    public string ModelName { get; init; } = "Synthetic CT";

    /// <summary>Station Name (SH).</summary>
    public string StationName { get; init; } = "MIMPHANTOM";

    /// <summary>Peak kilovoltage (KVP).</summary>
    public double Kvp { get; init; } = 120;

    /// <summary>X-Ray Tube Current in mA.</summary>
    public int TubeCurrent { get; init; } = 200;

    /// <summary>Exposure Time in ms.</summary>
    public int ExposureTime { get; init; } = 500;

    /// <summary>Convolution Kernel (SH).</summary>
    public string ConvolutionKernel { get; init; } = "B30f";

    /// <summary>Body Part Examined (CS).</summary>
    public string BodyPartExamined { get; init; } = "ABDOMEN";

    /// <summary>Contrast/Bolus Agent (LO); empty for a series without contrast.</summary>
    public string ContrastAgent { get; init; } = "IV contrast";

    /// <summary>Patient Position (CS): head first supine, as abdominal CT is acquired.</summary>
    public string PatientPosition { get; init; } = "HFS";

    /// <summary>Window Center of the default (soft tissue) window in HU.</summary>
    public double WindowCenter { get; init; } = 40;

    /// <summary>Window Width of the default (soft tissue) window in HU.</summary>
    public double WindowWidth { get; init; } = 400;
}
