using System.Buffers.Binary;
using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Tests.Interop;

using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Imaging.Tests.Nifti;

/// <summary>
/// A small CT series written as DICOM files by DCMTK's dump2dcm, with known geometry and a pixel pattern in which
/// every pixel is different, so another tool's output can be checked voxel by voxel against it.
/// Geometry follows DICOM: IOP's first vector is the row direction (column index increases along it), the second
/// the column direction (row index increases along it); PixelSpacing is [between rows, between columns].
/// </summary>
internal sealed class DcmtkCtSeries
{
    public const double RescaleIntercept = -1024;

    private const string UidRoot = "1.2.826.0.1.3680043.10.1466";

    private readonly bool reverseFileOrder;

    /// <summary>
    /// Describes a series; nothing is written until <see cref="Write"/>. With slicesAgainstNormal the slice positions
    /// step along -(row × column), as in feet-first stacking; with reverseFileOrder the instance numbers (and file
    /// names) run opposite to the spatial slice order.
    /// </summary>
    public DcmtkCtSeries(
        int columns, int rows, int slices, double rowSpacing, double columnSpacing, double sliceSpacing,
        Vector3D rowDirection, Vector3D columnDirection, Vector3D firstPosition, bool slicesAgainstNormal, bool reverseFileOrder)
    {
        Columns = columns;
        Rows = rows;
        Slices = slices;
        RowSpacing = rowSpacing;
        ColumnSpacing = columnSpacing;

        // The geometry the checks use is what the files say, i.e. after formatting to DICOM decimal strings.
        RowDirection = Parse(FormatVector(rowDirection, "0.########"));
        ColumnDirection = Parse(FormatVector(columnDirection, "0.########"));
        var step = RowDirection.Cross(ColumnDirection).Normalized() * (slicesAgainstNormal ? -sliceSpacing : sliceSpacing);
        Positions = [.. Enumerable.Range(0, slices).Select(s => Parse(FormatVector(firstPosition + (step * s), "0.######")))];
        this.reverseFileOrder = reverseFileOrder;
    }

    public int Columns { get; }

    public int Rows { get; }

    public int Slices { get; }

    public double RowSpacing { get; }

    public double ColumnSpacing { get; }

    public Vector3D RowDirection { get; }

    public Vector3D ColumnDirection { get; }

    /// <summary>ImagePositionPatient of each slice, in spatial order.</summary>
    public IReadOnlyList<Vector3D> Positions { get; }

    /// <summary>The stored pixel at column c, row r of spatial slice s: unique for every pixel, well inside int16.</summary>
    public short StoredValue(int c, int r, int s) => (short)(100 + c + (Columns * (r + (Rows * s))));

    /// <summary>The fractional DICOM (column, row, slice) index of an LPS point, using the series' own geometry.</summary>
    public Vector3D Locate(Vector3D point)
    {
        var normal = RowDirection.Cross(ColumnDirection).Normalized();
        var sliceStep = (Positions[1] - Positions[0]).Dot(normal);
        var slice = (point - Positions[0]).Dot(normal) / sliceStep;
        var nearest = Math.Clamp((int)Math.Round(slice), 0, Slices - 1);
        var inPlane = point - Positions[nearest];
        return new Vector3D(inPlane.Dot(RowDirection) / ColumnSpacing, inPlane.Dot(ColumnDirection) / RowSpacing, slice);
    }

    /// <summary>Writes one DICOM file per slice into <paramref name="seriesFolder"/> using dump2dcm.</summary>
    public void Write(string seriesFolder, string workFolder)
    {
        Directory.CreateDirectory(seriesFolder);
        for (var s = 0; s < Slices; s++)
        {
            var instance = reverseFileOrder ? Slices - s : s + 1;
            var raw = $"slice{instance:D3}.raw";
            var dump = $"slice{instance:D3}.txt";
            File.WriteAllBytes(Path.Combine(workFolder, raw), PixelBytes(s));
            File.WriteAllText(Path.Combine(workFolder, dump), Dump(s, instance, raw));
            ExternalTool.Run("dump2dcm", workFolder, "--write-xfer-little", dump, Path.Combine(seriesFolder, $"IM{instance:D4}.dcm"));
        }
    }

    private byte[] PixelBytes(int s)
    {
        var bytes = new byte[Columns * Rows * 2];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * (c + (Columns * r))), StoredValue(c, r, s));
            }
        }

        return bytes;
    }

    private string Dump(int s, int instance, string rawFile) => new DcmtkSliceDump
    {
        StudyInstanceUid = $"{UidRoot}.1",
        SeriesInstanceUid = $"{UidRoot}.2",
        SopInstanceUid = $"{UidRoot}.3.{instance}",
        FrameOfReferenceUid = $"{UidRoot}.4",
        InstanceNumber = instance,
        Position = Positions[s],
        RowDirection = RowDirection,
        ColumnDirection = ColumnDirection,
        Rows = Rows,
        Columns = Columns,
        RowSpacing = RowSpacing,
        ColumnSpacing = ColumnSpacing,
        SliceThickness = (Positions[1] - Positions[0]).Length,
        Intercept = RescaleIntercept,
        RawFile = rawFile,
    }.ToText();

    private static string FormatVector(Vector3D v, string format) => DcmtkSliceDump.FormatVector(v, format);

    private static Vector3D Parse(string dicomTriplet)
    {
        var parts = dicomTriplet.Split('\\').Select(part => double.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        return new Vector3D(parts[0], parts[1], parts[2]);
    }
}
