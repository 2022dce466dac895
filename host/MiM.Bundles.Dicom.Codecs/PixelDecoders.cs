namespace MiM.Bundles.Dicom.Codecs;

/// <summary>Finds the decoder for a transfer syntax.</summary>
public static class PixelDecoders
{
    private static readonly IPixelDecoder[] Supported =
    [
        new RleLosslessDecoder(),
        new JpegLosslessDecoder(TransferSyntaxes.JpegLosslessSv1),
        new JpegLosslessDecoder(TransferSyntaxes.JpegLossless),
    ];

    // Names for the compressed syntaxes people actually send, so the refusal says what arrived.
    private static readonly Dictionary<string, string> KnownNames = new(StringComparer.Ordinal)
    {
        ["1.2.840.10008.1.2.4.50"] = "JPEG Baseline",
        ["1.2.840.10008.1.2.4.51"] = "JPEG Extended",
        ["1.2.840.10008.1.2.4.80"] = "JPEG-LS Lossless",
        ["1.2.840.10008.1.2.4.81"] = "JPEG-LS Near-Lossless",
        ["1.2.840.10008.1.2.4.90"] = "JPEG 2000 Lossless",
        ["1.2.840.10008.1.2.4.91"] = "JPEG 2000",
        ["1.2.840.10008.1.2.4.201"] = "HTJ2K Lossless",
        ["1.2.840.10008.1.2.4.203"] = "HTJ2K",
        ["1.2.840.10008.1.2.1.99"] = "Deflated Explicit VR Little Endian",
        [TransferSyntaxes.RleLossless] = "RLE Lossless",
        [TransferSyntaxes.JpegLosslessSv1] = "JPEG Lossless SV1",
        [TransferSyntaxes.JpegLossless] = "JPEG Lossless",
    };

    /// <summary>The transfer syntax UIDs with a decoder.</summary>
    public static IReadOnlyList<string> SupportedUids { get; } = [.. Supported.Select(d => d.TransferSyntaxUid)];

    /// <summary>Returns the decoder for <paramref name="transferSyntaxUid"/>.</summary>
    /// <param name="transferSyntaxUid">The data set's transfer syntax UID.</param>
    /// <returns>The decoder.</returns>
    /// <exception cref="PixelDecodeException">No decoder handles the UID; the message names it and lists what is supported.</exception>
    public static IPixelDecoder For(string transferSyntaxUid)
    {
        ArgumentNullException.ThrowIfNull(transferSyntaxUid);
        var uid = transferSyntaxUid.TrimEnd('\0', ' ');
        foreach (var decoder in Supported)
        {
            if (decoder.TransferSyntaxUid == uid)
            {
                return decoder;
            }
        }

        var name = KnownNames.TryGetValue(uid, out var known) ? known : "Transfer syntax";
        var supported = string.Join(", ", Supported.Select(d => $"{KnownNames[d.TransferSyntaxUid]} ({d.TransferSyntaxUid})"));
        throw new PixelDecodeException(
            $"{name} ({uid}) is not supported: CT arrives in RLE Lossless or JPEG Lossless; supported: {supported}. Native (uncompressed) syntaxes need no decoder.");
    }
}
