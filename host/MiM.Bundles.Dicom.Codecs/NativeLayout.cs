namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Where one byte of one sample lands in a native frame, so decoders that produce planes (RLE
/// segments, JPEG components) write straight into the DICOM layout without a second pass.
/// </summary>
internal readonly struct NativeLayout
{
    private readonly int _pixels;
    private readonly int _samples;
    private readonly int _bytesPerSample;
    private readonly bool _planar;

    public NativeLayout(PixelFormat format)
    {
        _pixels = checked((int)format.PixelCount);
        _samples = format.SamplesPerPixel;
        _bytesPerSample = format.BytesPerSample;
        _planar = format.PlanarConfiguration && format.SamplesPerPixel > 1;
    }

    /// <summary>Byte index of pixel 0 of <paramref name="sample"/>, little-endian byte <paramref name="byteIndex"/> (0 = least significant).</summary>
    public int Start(int sample, int byteIndex) =>
        _planar
            ? (sample * _pixels * _bytesPerSample) + byteIndex
            : (sample * _bytesPerSample) + byteIndex;

    /// <summary>Distance in bytes between consecutive pixels of one sample.</summary>
    public int Stride => _planar ? _bytesPerSample : _samples * _bytesPerSample;
}
