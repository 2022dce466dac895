namespace MiM.Bundles.Dicom.Codecs;

/// <summary>Second bytes of the JPEG markers (T.81 Table B.1) the lossless decoder cares about.</summary>
internal static class JpegMarkers
{
    public const int Sof0 = 0xC0;
    public const int Sof3 = 0xC3;
    public const int DefineHuffmanTables = 0xC4;
    public const int Rst0 = 0xD0;
    public const int Rst7 = 0xD7;
    public const int StartOfImage = 0xD8;
    public const int EndOfImage = 0xD9;
    public const int StartOfScan = 0xDA;
    public const int DefineRestartInterval = 0xDD;
    public const int Dac = 0xCC;

    /// <summary>SOF markers other than SOF3: a process this decoder does not implement.</summary>
    public static bool IsOtherStartOfFrame(int marker) =>
        marker is >= Sof0 and <= 0xCF and not Sof3 and not DefineHuffmanTables and not 0xC8 and not Dac;
}
