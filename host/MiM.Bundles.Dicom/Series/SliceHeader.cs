using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// The header attributes of one slice (a single-frame file, or one frame of an enhanced multi-frame file); File is the
/// header read it came from, kept so that the pixels are read from where the header ended.
/// </summary>
internal sealed record SliceHeader(
    string Path,
    int? Frame,
    string SeriesInstanceUid,
    int InstanceNumber,
    Vector3D Row,
    Vector3D Column,
    Vector3D Position,
    double RowSpacing,
    double ColumnSpacing,
    int Rows,
    int Columns,
    string? FrameOfReferenceUid,
    double? SliceThickness,
    double RescaleSlope,
    double RescaleIntercept,
    string? SopClassUid = null,
    string? SopInstanceUid = null,
    DicomFile? File = null)
{
    /// <summary>The slice normal, row × column.</summary>
    public Vector3D Normal => Row.Cross(Column).Normalized();

    /// <summary>The file, with the 1-based frame number for a multi-frame file, for messages.</summary>
    public string Source => Frame is { } f ? $"{Path} frame {f + 1}" : Path;
}
