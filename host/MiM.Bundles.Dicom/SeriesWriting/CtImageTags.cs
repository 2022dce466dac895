using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.SeriesWriting;

/// <summary>The tags of the CT Image IOD that <see cref="CtSeriesWriter"/> sets and the derived-object writers do not; PS3.6 keywords.</summary>
internal static class CtImageTags
{
    public static readonly DicomTag StationName = new(0x0008, 0x1010);
    public static readonly DicomTag AcquisitionDate = new(0x0008, 0x0022);
    public static readonly DicomTag AcquisitionTime = new(0x0008, 0x0032);
    public static readonly DicomTag ContrastBolusAgent = new(0x0018, 0x0010);
    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);
    public static readonly DicomTag Kvp = new(0x0018, 0x0060);
    public static readonly DicomTag DataCollectionDiameter = new(0x0018, 0x0090);
    public static readonly DicomTag ReconstructionDiameter = new(0x0018, 0x1100);
    public static readonly DicomTag ExposureTime = new(0x0018, 0x1150);
    public static readonly DicomTag XRayTubeCurrent = new(0x0018, 0x1151);
    public static readonly DicomTag ConvolutionKernel = new(0x0018, 0x1210);
    public static readonly DicomTag PatientPosition = new(0x0018, 0x5100);
    public static readonly DicomTag AcquisitionNumber = new(0x0020, 0x0012);
    public static readonly DicomTag SliceLocation = new(0x0020, 0x1041);
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);
    public static readonly DicomTag RescaleType = new(0x0028, 0x1054);
    public static readonly DicomTag WindowCenterWidthExplanation = new(0x0028, 0x1055);
}
