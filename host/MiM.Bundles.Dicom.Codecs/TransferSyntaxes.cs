namespace MiM.Bundles.Dicom.Codecs;

/// <summary>Transfer syntax UIDs the codecs recognise.</summary>
public static class TransferSyntaxes
{
    /// <summary>RLE Lossless.</summary>
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, Selection Value 1).</summary>
    public const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";

    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14), any selection value.</summary>
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";
}
