namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>The UIDs the network layer itself needs (PS3.6 Annex A).</summary>
public static class DicomUids
{
    /// <summary>The DICOM application context name.</summary>
    public const string ApplicationContext = "1.2.840.10008.3.1.1.1";

    /// <summary>Verification SOP class (C-ECHO).</summary>
    public const string Verification = "1.2.840.10008.1.1";

    /// <summary>Implicit VR Little Endian: the default transfer syntax every implementation supports.</summary>
    public const string ImplicitVrLittleEndian = "1.2.840.10008.1.2";

    /// <summary>Explicit VR Little Endian.</summary>
    public const string ExplicitVrLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Deflated Explicit VR Little Endian.</summary>
    public const string DeflatedExplicitVrLittleEndian = "1.2.840.10008.1.2.1.99";

    /// <summary>Explicit VR Big Endian (retired, still sent by old modalities).</summary>
    public const string ExplicitVrBigEndian = "1.2.840.10008.1.2.2";

    /// <summary>RLE Lossless.</summary>
    public const string RleLossless = "1.2.840.10008.1.2.5";

    /// <summary>JPEG Lossless, Non-Hierarchical (Process 14).</summary>
    public const string JpegLossless = "1.2.840.10008.1.2.4.57";

    /// <summary>JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14, selection value 1).</summary>
    public const string JpegLosslessSv1 = "1.2.840.10008.1.2.4.70";

    /// <summary>The root under which (nearly) all storage SOP classes live, Segmentation and SR included.</summary>
    public const string StorageSopClassRoot = "1.2.840.10008.5.1.4.1.1.";
}
