namespace MiM.Bundles.Dicom.Codecs;

/// <summary>Decodes one compressed frame of a transfer syntax into native pixel bytes.</summary>
public interface IPixelDecoder
{
    /// <summary>The transfer syntax UID this decoder handles.</summary>
    string TransferSyntaxUid { get; }

    /// <summary>
    /// Decodes one frame to native little-endian pixel bytes (1 or 2 bytes per sample; samples
    /// interleaved unless <see cref="PixelFormat.PlanarConfiguration"/> is set).
    /// </summary>
    /// <param name="frame">The frame's compressed bytes (all of its fragments, concatenated).</param>
    /// <param name="format">Rows, columns, samples and bit depths from the data set.</param>
    /// <returns>Exactly <see cref="PixelFormat.FrameLength"/> bytes.</returns>
    /// <exception cref="PixelDecodeException">The data is malformed or does not match the format.</exception>
    byte[] DecodeFrame(ReadOnlySpan<byte> frame, PixelFormat format);
}
