namespace MiM.Bundles.Dicom.Codecs;

/// <summary>A lossless SOF3 frame header (T.81 B.2.2): precision, size and component ids.</summary>
internal sealed class JpegFrameHeader
{
    private JpegFrameHeader(int precision, int lines, int samplesPerLine, byte[] componentIds)
    {
        Precision = precision;
        Lines = lines;
        SamplesPerLine = samplesPerLine;
        ComponentIds = componentIds;
    }

    public int Precision { get; }

    public int Lines { get; }

    public int SamplesPerLine { get; }

    public byte[] ComponentIds { get; }

    public static JpegFrameHeader Read(ReadOnlySpan<byte> segment, PixelFormat format)
    {
        const string Codec = JpegLosslessDecoder.CodecName;
        if (segment.Length < 6)
        {
            throw new PixelDecodeException(Codec, $"SOF3 segment of {segment.Length} bytes is too short");
        }

        int precision = segment[0];
        var lines = (segment[1] << 8) | segment[2];
        var samples = (segment[3] << 8) | segment[4];
        int components = segment[5];
        if (precision is < 2 or > 16)
        {
            throw new PixelDecodeException(Codec, $"SOF3 precision {precision} is outside 2..16");
        }

        if (precision > format.BitsAllocated)
        {
            throw new PixelDecodeException(Codec, $"SOF3 precision {precision} exceeds bits allocated {format.BitsAllocated}");
        }

        if (lines != format.Rows || samples != format.Columns)
        {
            throw new PixelDecodeException(Codec, $"SOF3 size {lines}x{samples} (0 lines = DNL, unsupported) does not match the data set's {format.Rows}x{format.Columns}");
        }

        if (components != format.SamplesPerPixel)
        {
            throw new PixelDecodeException(Codec, $"SOF3 has {components} components but samples per pixel is {format.SamplesPerPixel}");
        }

        if (segment.Length != 6 + (3 * components))
        {
            throw new PixelDecodeException(Codec, $"SOF3 segment length {segment.Length} does not fit {components} components");
        }

        var ids = new byte[components];
        for (var i = 0; i < components; i++)
        {
            var c = segment.Slice(6 + (3 * i), 3);
            if (c[1] != 0x11)
            {
                throw new PixelDecodeException(Codec, $"SOF3 component {c[0]} has sampling factors 0x{c[1]:X2}; only 1x1 is supported");
            }

            if (Array.IndexOf(ids, c[0], 0, i) >= 0)
            {
                throw new PixelDecodeException(Codec, $"SOF3 component id {c[0]} is repeated");
            }

            ids[i] = c[0];
        }

        return new JpegFrameHeader(precision, lines, samples, ids);
    }
}
