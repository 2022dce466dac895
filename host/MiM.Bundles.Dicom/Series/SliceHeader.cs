using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Series;

/// <summary>The header attributes of one single-frame slice that the series load needs.</summary>
internal sealed record SliceHeader(
    string Path,
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
    double? SliceThickness)
{
    /// <summary>The slice normal, row × column.</summary>
    public Vector3D Normal => Row.Cross(Column).Normalized();
}
