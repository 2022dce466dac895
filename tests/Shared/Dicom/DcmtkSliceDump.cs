using System.Globalization;
using System.Text;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Tests.Shared.Dicom;

/// <summary>
/// The text dump from which DCMTK's <c>dump2dcm --write-xfer-little</c> makes one CT slice (16-bit pixels read from
/// <see cref="RawFile"/>). Linked into the test projects that build CT series with DCMTK.
/// </summary>
internal sealed record DcmtkSliceDump
{
    public required string StudyInstanceUid { get; init; }

    public required string SeriesInstanceUid { get; init; }

    public required string SopInstanceUid { get; init; }

    public required string FrameOfReferenceUid { get; init; }

    public required int InstanceNumber { get; init; }

    public required Vector3D Position { get; init; }

    public required Vector3D RowDirection { get; init; }

    public required Vector3D ColumnDirection { get; init; }

    public required int Rows { get; init; }

    public required int Columns { get; init; }

    public required double RowSpacing { get; init; }

    public required double ColumnSpacing { get; init; }

    public required double SliceThickness { get; init; }

    public required string RawFile { get; init; }

    public bool Unsigned { get; init; }

    public double Intercept { get; init; }

    public double Slope { get; init; } = 1;

    public string ToText()
    {
        var dump = new StringBuilder();
        void Line(string tag, string vr, string value) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");
        Line("0008,0008", "CS", @"[ORIGINAL\PRIMARY\AXIAL]");
        Line("0008,0016", "UI", "[1.2.840.10008.5.1.4.1.1.2]");
        Line("0008,0018", "UI", $"[{SopInstanceUid}]");
        Line("0008,0020", "DA", "[20240101]");
        Line("0008,0030", "TM", "[120000]");
        Line("0008,0060", "CS", "[CT]");
        Line("0008,0070", "LO", "[MiM.Bundles test]");
        Line("0010,0010", "PN", "[Test^Phantom]");
        Line("0010,0020", "LO", "[PHANTOM1]");
        Line("0018,0050", "DS", $"[{Format(SliceThickness, "0.######")}]");
        Line("0020,000d", "UI", $"[{StudyInstanceUid}]");
        Line("0020,000e", "UI", $"[{SeriesInstanceUid}]");
        Line("0020,0011", "IS", "[1]");
        Line("0020,0013", "IS", $"[{InstanceNumber}]");
        Line("0020,0032", "DS", $"[{FormatVector(Position, "0.######")}]");
        Line("0020,0037", "DS", $@"[{FormatVector(RowDirection, "0.########")}\{FormatVector(ColumnDirection, "0.########")}]");
        Line("0020,0052", "UI", $"[{FrameOfReferenceUid}]");
        Line("0028,0002", "US", "1");
        Line("0028,0004", "CS", "[MONOCHROME2]");
        Line("0028,0010", "US", Rows.ToString(CultureInfo.InvariantCulture));
        Line("0028,0011", "US", Columns.ToString(CultureInfo.InvariantCulture));
        Line("0028,0030", "DS", $@"[{Format(RowSpacing, "0.######")}\{Format(ColumnSpacing, "0.######")}]");
        Line("0028,0100", "US", "16");
        Line("0028,0101", "US", "16");
        Line("0028,0102", "US", "15");
        Line("0028,0103", "US", Unsigned ? "0" : "1");
        Line("0028,1052", "DS", $"[{Format(Intercept, "0.######")}]");
        Line("0028,1053", "DS", $"[{Format(Slope, "0.######")}]");
        Line("7fe0,0010", "OW", "=" + RawFile);
        return dump.ToString();
    }

    /// <summary>A DS value as DCMTK will store it (invariant culture, given precision).</summary>
    public static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A vector as a backslash-separated DS triple.</summary>
    public static string FormatVector(Vector3D v, string format) => $@"{Format(v.X, format)}\{Format(v.Y, format)}\{Format(v.Z, format)}";
}
