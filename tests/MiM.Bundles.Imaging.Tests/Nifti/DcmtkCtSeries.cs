using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Tests.Interop;

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

    private string Dump(int s, int instance, string rawFile)
    {
        var p = Positions[s];
        var dump = new StringBuilder();
        void Line(string tag, string vr, string value) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");
        Line("0008,0008", "CS", @"[ORIGINAL\PRIMARY\AXIAL]");
        Line("0008,0016", "UI", "[1.2.840.10008.5.1.4.1.1.2]");
        Line("0008,0018", "UI", $"[{UidRoot}.3.{instance}]");
        Line("0008,0020", "DA", "[20240101]");
        Line("0008,0030", "TM", "[120000]");
        Line("0008,0060", "CS", "[CT]");
        Line("0008,0070", "LO", "[MiM.Bundles test]");
        Line("0010,0010", "PN", "[Test^Phantom]");
        Line("0010,0020", "LO", "[PHANTOM1]");
        Line("0018,0050", "DS", $"[{Format((Positions[1] - Positions[0]).Length, "0.######")}]");
        Line("0020,000d", "UI", $"[{UidRoot}.1]");
        Line("0020,000e", "UI", $"[{UidRoot}.2]");
        Line("0020,0011", "IS", "[1]");
        Line("0020,0013", "IS", $"[{instance}]");
        Line("0020,0032", "DS", $"[{FormatVector(p, "0.######")}]");
        Line("0020,0037", "DS", $@"[{FormatVector(RowDirection, "0.########")}\{FormatVector(ColumnDirection, "0.########")}]");
        Line("0020,0052", "UI", $"[{UidRoot}.4]");
        Line("0028,0002", "US", "1");
        Line("0028,0004", "CS", "[MONOCHROME2]");
        Line("0028,0010", "US", Rows.ToString(CultureInfo.InvariantCulture));
        Line("0028,0011", "US", Columns.ToString(CultureInfo.InvariantCulture));
        Line("0028,0030", "DS", $@"[{Format(RowSpacing, "0.######")}\{Format(ColumnSpacing, "0.######")}]");
        Line("0028,0100", "US", "16");
        Line("0028,0101", "US", "16");
        Line("0028,0102", "US", "15");
        Line("0028,0103", "US", "1");
        Line("0028,1052", "DS", $"[{Format(RescaleIntercept, "0")}]");
        Line("0028,1053", "DS", "[1]");
        Line("7fe0,0010", "OW", "=" + rawFile);
        return dump.ToString();
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string FormatVector(Vector3D v, string format) => $@"{Format(v.X, format)}\{Format(v.Y, format)}\{Format(v.Z, format)}";

    private static Vector3D Parse(string dicomTriplet)
    {
        var parts = dicomTriplet.Split('\\').Select(part => double.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        return new Vector3D(parts[0], parts[1], parts[2]);
    }
}
