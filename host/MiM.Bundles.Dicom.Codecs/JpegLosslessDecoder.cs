namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// JPEG Lossless, Non-Hierarchical, Huffman (ISO 10918-1 process 14): SOF3, DHT, DRI/RSTn and
/// any number of scans. One instance serves either 1.2.840.10008.1.2.4.70 (selection value 1) or
/// 1.2.840.10008.1.2.4.57 (selection values 1..7); both decode whatever predictor the scan names.
/// </summary>
public sealed class JpegLosslessDecoder : IPixelDecoder
{
    /// <summary>The codec name used in exception messages.</summary>
    public const string CodecName = "JPEG Lossless";

    /// <summary>Creates a decoder registered under <paramref name="transferSyntaxUid"/>.</summary>
    /// <param name="transferSyntaxUid"><see cref="TransferSyntaxes.JpegLosslessSv1"/> (default) or <see cref="TransferSyntaxes.JpegLossless"/>.</param>
    public JpegLosslessDecoder(string transferSyntaxUid = TransferSyntaxes.JpegLosslessSv1)
    {
        if (transferSyntaxUid is not (TransferSyntaxes.JpegLosslessSv1 or TransferSyntaxes.JpegLossless))
        {
            throw new ArgumentException($"{transferSyntaxUid} is not a JPEG Lossless transfer syntax", nameof(transferSyntaxUid));
        }

        TransferSyntaxUid = transferSyntaxUid;
    }

    /// <inheritdoc />
    public string TransferSyntaxUid { get; }

    /// <inheritdoc />
    public byte[] DecodeFrame(ReadOnlySpan<byte> frame, PixelFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        format.Validate(CodecName);
        var stream = new JpegMarkerStream(frame);
        var state = new JpegLosslessState(format);
        stream.ExpectStartOfImage();
        while (stream.TryNextMarker(out var marker))
        {
            if (marker == JpegMarkers.EndOfImage)
            {
                break;
            }

            if (marker is >= JpegMarkers.Rst0 and <= JpegMarkers.Rst7)
            {
                throw new PixelDecodeException(CodecName, $"restart marker 0xFF{marker:X2} outside a scan at byte {stream.Position - 2}");
            }

            var segment = stream.ReadSegment(marker);
            if (marker == JpegMarkers.StartOfScan)
            {
                var end = state.DecodeScan(frame, segment, stream.Position);
                stream.SkipEntropyData(end);
            }
            else
            {
                state.Apply(marker, segment);
            }
        }

        return state.Finish();
    }
}
