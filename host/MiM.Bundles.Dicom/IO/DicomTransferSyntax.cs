namespace MiM.Bundles.Dicom.IO;

/// <summary>A transfer syntax: how the data set after the file meta information is encoded.</summary>
/// <param name="Uid">The transfer syntax UID.</param>
/// <param name="Name">The standard's name.</param>
/// <param name="IsExplicitVr">True when each element carries its VR.</param>
/// <param name="IsBigEndian">True for the retired Explicit VR Big Endian.</param>
/// <param name="IsDeflated">True when the data set is a raw deflate stream.</param>
/// <param name="IsEncapsulated">True when pixel data is compressed into fragments.</param>
public sealed record DicomTransferSyntax(string Uid, string Name, bool IsExplicitVr, bool IsBigEndian, bool IsDeflated, bool IsEncapsulated)
{
    /// <summary>1.2.840.10008.1.2</summary>
    public static readonly DicomTransferSyntax ImplicitVrLittleEndian = new("1.2.840.10008.1.2", "Implicit VR Little Endian", false, false, false, false);

    /// <summary>1.2.840.10008.1.2.1</summary>
    public static readonly DicomTransferSyntax ExplicitVrLittleEndian = new("1.2.840.10008.1.2.1", "Explicit VR Little Endian", true, false, false, false);

    /// <summary>1.2.840.10008.1.2.1.99</summary>
    public static readonly DicomTransferSyntax DeflatedExplicitVrLittleEndian = new("1.2.840.10008.1.2.1.99", "Deflated Explicit VR Little Endian", true, false, true, false);

    /// <summary>1.2.840.10008.1.2.2 (retired)</summary>
    public static readonly DicomTransferSyntax ExplicitVrBigEndian = new("1.2.840.10008.1.2.2", "Explicit VR Big Endian", true, true, false, false);

    private static readonly Dictionary<string, DicomTransferSyntax> Known = Build();

    /// <summary>All transfer syntaxes this layer reads.</summary>
    public static IReadOnlyCollection<DicomTransferSyntax> All => Known.Values;

    /// <summary>The transfer syntax of a UID; an unknown UID is a <see cref="DicomException"/> naming it.</summary>
    public static DicomTransferSyntax FromUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var clean = uid.TrimEnd('\0', ' ').Trim();
        return Known.TryGetValue(clean, out var syntax)
            ? syntax
            : throw new DicomException($"unknown transfer syntax UID '{clean}'");
    }

    private static Dictionary<string, DicomTransferSyntax> Build()
    {
        var list = new List<DicomTransferSyntax> { ImplicitVrLittleEndian, ExplicitVrLittleEndian, DeflatedExplicitVrLittleEndian, ExplicitVrBigEndian };

        // Encapsulated syntaxes (PS3.5 section 10 and annex A.4): other elements explicit VR little endian.
        (string Uid, string Name)[] encapsulated =
        [
            ("1.2.840.10008.1.2.1.98", "Encapsulated Uncompressed Explicit VR Little Endian"),
            ("1.2.840.10008.1.2.4.50", "JPEG Baseline (Process 1)"),
            ("1.2.840.10008.1.2.4.51", "JPEG Extended (Process 2 & 4)"),
            ("1.2.840.10008.1.2.4.52", "JPEG Extended (Process 3 & 5)"),
            ("1.2.840.10008.1.2.4.53", "JPEG Spectral Selection, Non-Hierarchical (Process 6 & 8)"),
            ("1.2.840.10008.1.2.4.54", "JPEG Spectral Selection, Non-Hierarchical (Process 7 & 9)"),
            ("1.2.840.10008.1.2.4.55", "JPEG Full Progression, Non-Hierarchical (Process 10 & 12)"),
            ("1.2.840.10008.1.2.4.56", "JPEG Full Progression, Non-Hierarchical (Process 11 & 13)"),
            ("1.2.840.10008.1.2.4.57", "JPEG Lossless, Non-Hierarchical (Process 14)"),
            ("1.2.840.10008.1.2.4.58", "JPEG Lossless, Non-Hierarchical (Process 15)"),
            ("1.2.840.10008.1.2.4.70", "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])"),
            ("1.2.840.10008.1.2.4.80", "JPEG-LS Lossless Image Compression"),
            ("1.2.840.10008.1.2.4.81", "JPEG-LS Lossy (Near-Lossless) Image Compression"),
            ("1.2.840.10008.1.2.4.90", "JPEG 2000 Image Compression (Lossless Only)"),
            ("1.2.840.10008.1.2.4.91", "JPEG 2000 Image Compression"),
            ("1.2.840.10008.1.2.4.92", "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)"),
            ("1.2.840.10008.1.2.4.93", "JPEG 2000 Part 2 Multi-component Image Compression"),
            ("1.2.840.10008.1.2.4.100", "MPEG2 Main Profile / Main Level"),
            ("1.2.840.10008.1.2.4.101", "MPEG2 Main Profile / High Level"),
            ("1.2.840.10008.1.2.4.102", "MPEG-4 AVC/H.264 High Profile / Level 4.1"),
            ("1.2.840.10008.1.2.4.103", "MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1"),
            ("1.2.840.10008.1.2.4.104", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 2D Video"),
            ("1.2.840.10008.1.2.4.105", "MPEG-4 AVC/H.264 High Profile / Level 4.2 For 3D Video"),
            ("1.2.840.10008.1.2.4.106", "MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2"),
            ("1.2.840.10008.1.2.4.107", "HEVC/H.265 Main Profile / Level 5.1"),
            ("1.2.840.10008.1.2.4.108", "HEVC/H.265 Main 10 Profile / Level 5.1"),
            ("1.2.840.10008.1.2.4.110", "JPEG XL Lossless"),
            ("1.2.840.10008.1.2.4.111", "JPEG XL JPEG Recompression"),
            ("1.2.840.10008.1.2.4.112", "JPEG XL"),
            ("1.2.840.10008.1.2.4.201", "High-Throughput JPEG 2000 Image Compression (Lossless Only)"),
            ("1.2.840.10008.1.2.4.202", "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)"),
            ("1.2.840.10008.1.2.4.203", "High-Throughput JPEG 2000 Image Compression"),
            ("1.2.840.10008.1.2.5", "RLE Lossless"),
        ];
        list.AddRange(encapsulated.Select(e => new DicomTransferSyntax(e.Uid, e.Name, true, false, false, true)));
        return list.ToDictionary(s => s.Uid, StringComparer.Ordinal);
    }
}
