using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using MiM.Bundles.Contracts.Imaging;

using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>
/// A small CT series written by DCMTK's dump2dcm with a pixel pattern unique per pixel (adapted from the Imaging tests'
/// DcmtkCtSeries). IOP's first vector is the row direction (column index increases along it); PixelSpacing is
/// [between rows, between columns]. Options add the defects the loader must notice.
/// </summary>
internal sealed class TestCtSeries
{
    private const string UidRoot = "1.2.826.0.1.3680043.10.1466.77";

    public TestCtSeries(Vector3D rowDirection, Vector3D columnDirection, bool slicesAgainstNormal = false)
    {
        RowDirection = Parse(FormatVector(rowDirection, "0.########"));
        ColumnDirection = Parse(FormatVector(columnDirection, "0.########"));
        SlicesAgainstNormal = slicesAgainstNormal;
    }

    public int Columns { get; init; } = 24;

    public int Rows { get; init; } = 20;

    public int Slices { get; init; } = 10;

    public double RowSpacing { get; init; } = 0.8;

    public double ColumnSpacing { get; init; } = 0.7;

    public double SliceSpacing { get; init; } = 2.5;

    public Vector3D FirstPosition { get; init; } = new(-95.5, -120.25, 33.75);

    public bool SlicesAgainstNormal { get; }

    public bool ReverseFileOrder { get; init; }

    /// <summary>Pixel Representation 0 with values above 32767.</summary>
    public bool Unsigned { get; init; }

    public double Slope { get; init; } = 1;

    public double Intercept { get; init; } = -1024;

    public string SeriesSuffix { get; init; } = "2";

    /// <summary>Shift of each slice along the column direction per slice (gantry tilt), in mm.</summary>
    public double TiltShift { get; init; }

    /// <summary>Spatial slice indices not written.</summary>
    public IReadOnlySet<int> Missing { get; init; } = new HashSet<int>();

    public Vector3D RowDirection { get; }

    public Vector3D ColumnDirection { get; }

    public Vector3D Normal => RowDirection.Cross(ColumnDirection).Normalized();

    /// <summary>ImagePositionPatient of spatial slice s, as written (rounded to the DS text).</summary>
    public Vector3D Position(int s)
    {
        var step = Normal * (SlicesAgainstNormal ? -SliceSpacing : SliceSpacing);
        return Parse(FormatVector(FirstPosition + (step * s) + (ColumnDirection * (TiltShift * s)), "0.######"));
    }

    public int StoredValue(int c, int r, int s) => (Unsigned ? 33000 : 100) + c + (Columns * (r + (Rows * s)));

    public double Value(int c, int r, int s) => (StoredValue(c, r, s) * Slope) + Intercept;

    /// <summary>The fractional DICOM (column, row, slice) index of an LPS point.</summary>
    public Vector3D Locate(Vector3D point)
    {
        var sliceStep = (Position(1) - Position(0)).Dot(Normal);
        var slice = (point - Position(0)).Dot(Normal) / sliceStep;
        var nearest = Math.Clamp((int)Math.Round(slice), 0, Slices - 1);
        var inPlane = point - Position(nearest);
        return new Vector3D(inPlane.Dot(RowDirection) / ColumnSpacing, inPlane.Dot(ColumnDirection) / RowSpacing, slice);
    }

    /// <summary>Writes one file per slice into <paramref name="seriesFolder"/>.</summary>
    public void Write(string seriesFolder)
    {
        Directory.CreateDirectory(seriesFolder);
        for (var s = 0; s < Slices; s++)
        {
            if (!Missing.Contains(s))
            {
                WriteSlice(seriesFolder, s, ReverseFileOrder ? Slices - s : s + 1, RowDirection, ColumnDirection, Position(s));
            }
        }
    }

    /// <summary>Writes slice pattern <paramref name="s"/> with any geometry (e.g. a localizer) as instance <paramref name="instance"/>.</summary>
    public string WriteSlice(string seriesFolder, int s, int instance, Vector3D row, Vector3D column, Vector3D position)
    {
        Directory.CreateDirectory(seriesFolder);
        var stem = Path.Combine(seriesFolder, $"IM{SeriesSuffix}_{instance:D4}");
        File.WriteAllBytes(stem + ".raw", PixelBytes(s));
        File.WriteAllText(stem + ".txt", Dump(instance, row, column, position, stem + ".raw"));
        Tool.Run("dump2dcm", "--write-xfer-little", stem + ".txt", stem + ".dcm");
        File.Delete(stem + ".raw");
        File.Delete(stem + ".txt");
        return stem + ".dcm";
    }

    /// <summary>
    /// Writes all slices as one Enhanced CT file: frames in <paramref name="frameOrder"/> (spatial indices), positions and
    /// rescale per frame, orientation and pixel measures shared.
    /// </summary>
    public string WriteEnhanced(string folder, IReadOnlyList<int> frameOrder)
    {
        Directory.CreateDirectory(folder);
        var stem = Path.Combine(folder, $"EN{SeriesSuffix}");
        File.WriteAllBytes(stem + ".raw", [.. frameOrder.SelectMany(PixelBytes)]);
        var dump = new StringBuilder();
        void Line(string tag, string vr, string value) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");
        void Open(string tag) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) SQ (Sequence with undefined length)\n(fffe,e000) na (Item with undefined length)\n");
        void Close() => dump.Append("(fffe,e00d) na (ItemDelimitationItem)\n(fffe,e0dd) na (SequenceDelimitationItem)\n");
        Line("0008,0016", "UI", "[1.2.840.10008.5.1.4.1.1.2.1]");
        Line("0008,0018", "UI", $"[{UidRoot}.3.{SeriesSuffix}.1]");
        Line("0008,0060", "CS", "[CT]");
        Line("0020,000d", "UI", $"[{UidRoot}.1]");
        Line("0020,000e", "UI", $"[{UidRoot}.2.{SeriesSuffix}]");
        Line("0020,0013", "IS", "[1]");
        Line("0020,0052", "UI", $"[{UidRoot}.4]");
        Line("0028,0002", "US", "1");
        Line("0028,0004", "CS", "[MONOCHROME2]");
        Line("0028,0008", "IS", $"[{frameOrder.Count}]");
        Line("0028,0010", "US", Rows.ToString(CultureInfo.InvariantCulture));
        Line("0028,0011", "US", Columns.ToString(CultureInfo.InvariantCulture));
        Line("0028,0100", "US", "16");
        Line("0028,0101", "US", "16");
        Line("0028,0102", "US", "15");
        Line("0028,0103", "US", Unsigned ? "0" : "1");
        Open("5200,9229");
        Open("0020,9116");
        Line("0020,0037", "DS", $@"[{FormatVector(RowDirection, "0.########")}\{FormatVector(ColumnDirection, "0.########")}]");
        Close();
        Open("0028,9110");
        Line("0018,0050", "DS", $"[{Format(SliceSpacing, "0.######")}]");
        Line("0028,0030", "DS", $@"[{Format(RowSpacing, "0.######")}\{Format(ColumnSpacing, "0.######")}]");
        Close();
        Close();
        dump.Append("(5200,9230) SQ (Sequence with undefined length)\n");
        foreach (var s in frameOrder)
        {
            dump.Append("(fffe,e000) na (Item with undefined length)\n");
            Open("0020,9113");
            Line("0020,0032", "DS", $"[{FormatVector(Position(s), "0.######")}]");
            Close();
            Open("0028,9145");
            Line("0028,1052", "DS", $"[{Format(Intercept, "0.######")}]");
            Line("0028,1053", "DS", $"[{Format(Slope, "0.######")}]");
            Close();
            dump.Append("(fffe,e00d) na (ItemDelimitationItem)\n");
        }

        dump.Append("(fffe,e0dd) na (SequenceDelimitationItem)\n");
        Line("7fe0,0010", "OW", "=" + stem + ".raw");
        File.WriteAllText(stem + ".txt", dump.ToString());
        Tool.Run("dump2dcm", "--write-xfer-little", stem + ".txt", stem + ".dcm");
        File.Delete(stem + ".raw");
        File.Delete(stem + ".txt");
        return stem + ".dcm";
    }

    private byte[] PixelBytes(int s)
    {
        var bytes = new byte[Columns * Rows * 2];
        for (var r = 0; r < Rows; r++)
        {
            for (var c = 0; c < Columns; c++)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * (c + (Columns * r))), (ushort)StoredValue(c, r, s));
            }
        }

        return bytes;
    }

    private string Dump(int instance, Vector3D row, Vector3D column, Vector3D p, string rawFile) => new DcmtkSliceDump
    {
        StudyInstanceUid = $"{UidRoot}.1",
        SeriesInstanceUid = $"{UidRoot}.2.{SeriesSuffix}",
        SopInstanceUid = $"{UidRoot}.3.{SeriesSuffix}.{instance}",
        FrameOfReferenceUid = $"{UidRoot}.4",
        InstanceNumber = instance,
        Position = p,
        RowDirection = row,
        ColumnDirection = column,
        Rows = Rows,
        Columns = Columns,
        RowSpacing = RowSpacing,
        ColumnSpacing = ColumnSpacing,
        SliceThickness = SliceSpacing,
        Unsigned = Unsigned,
        Intercept = Intercept,
        Slope = Slope,
        RawFile = rawFile,
    }.ToText();

    public static Vector3D Rotate(Vector3D v, Vector3D axis, double angle)
    {
        var u = axis.Normalized();
        return (v * Math.Cos(angle)) + (u.Cross(v) * Math.Sin(angle)) + (u * (u.Dot(v) * (1 - Math.Cos(angle))));
    }

    private static string Format(double value, string format) => DcmtkSliceDump.Format(value, format);

    private static string FormatVector(Vector3D v, string format) => DcmtkSliceDump.FormatVector(v, format);

    private static Vector3D Parse(string dicomTriplet)
    {
        var parts = dicomTriplet.Split('\\').Select(part => double.Parse(part, CultureInfo.InvariantCulture)).ToArray();
        return new Vector3D(parts[0], parts[1], parts[2]);
    }
}
