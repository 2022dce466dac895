namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// What the marker segments of one lossless JPEG stream have defined so far (frame header,
/// Huffman tables, restart interval) and the component planes its scans have filled.
/// </summary>
internal sealed class JpegLosslessState
{
    private const string Codec = JpegLosslessDecoder.CodecName;

    private readonly PixelFormat _format;
    private readonly HuffmanTable?[] _tables = new HuffmanTable?[4];
    private JpegFrameHeader? _frame;
    private ushort[][] _planes = [];
    private int[] _pointTransforms = [];
    private bool[] _decoded = [];
    private int _restartInterval;

    public JpegLosslessState(PixelFormat format)
    {
        _format = format;
    }

    /// <summary>Takes in a non-scan marker segment.</summary>
    public void Apply(int marker, ReadOnlySpan<byte> segment)
    {
        switch (marker)
        {
            case JpegMarkers.Sof3:
                if (_frame is not null)
                {
                    throw new PixelDecodeException(Codec, "second SOF3 frame header in one frame");
                }

                _frame = JpegFrameHeader.Read(segment, _format);
                var n = _frame.ComponentIds.Length;
                _planes = new ushort[n][];
                for (var i = 0; i < n; i++)
                {
                    _planes[i] = new ushort[_format.PixelCount];
                }

                _pointTransforms = new int[n];
                _decoded = new bool[n];
                break;
            case JpegMarkers.DefineHuffmanTables:
                ReadHuffmanTables(segment);
                break;
            case JpegMarkers.DefineRestartInterval:
                if (segment.Length != 2)
                {
                    throw new PixelDecodeException(Codec, $"DRI segment of {segment.Length} bytes, expected 2");
                }

                _restartInterval = (segment[0] << 8) | segment[1];
                break;
            case JpegMarkers.Dac:
                throw new PixelDecodeException(Codec, "arithmetic coding (DAC) is not supported; only Huffman-coded process 14");
            case var other when JpegMarkers.IsOtherStartOfFrame(other):
                throw new PixelDecodeException(Codec, $"frame marker SOF{other - JpegMarkers.Sof0} (0xFF{other:X2}) is not lossless Huffman process 14 (SOF3)");
            default:
                // APPn, COM, DQT and the like carry nothing a lossless decode needs.
                break;
        }
    }

    /// <summary>Parses an SOS header and decodes its scan; returns where the entropy data stops.</summary>
    public int DecodeScan(ReadOnlySpan<byte> data, ReadOnlySpan<byte> sos, int position)
    {
        var frame = _frame ?? throw new PixelDecodeException(Codec, "SOS before any SOF3 frame header");
        if (sos.Length < 1)
        {
            throw new PixelDecodeException(Codec, "empty SOS segment");
        }

        int count = sos[0];
        if (count < 1 || count > frame.ComponentIds.Length || sos.Length != 4 + (2 * count))
        {
            throw new PixelDecodeException(Codec, $"SOS names {count} components in a {sos.Length}-byte segment for a {frame.ComponentIds.Length}-component frame");
        }

        var indices = new int[count];
        var tables = new HuffmanTable[count];
        for (var k = 0; k < count; k++)
        {
            var id = sos[1 + (2 * k)];
            var index = Array.IndexOf(frame.ComponentIds, id);
            if (index < 0 || _decoded[index] || Array.IndexOf(indices, index, 0, k) >= 0)
            {
                throw new PixelDecodeException(Codec, $"SOS component {id} is not in the frame or was already decoded");
            }

            var tableId = sos[2 + (2 * k)] >> 4;
            indices[k] = index;
            tables[k] = (tableId < 4 ? _tables[tableId] : null)
                ?? throw new PixelDecodeException(Codec, $"SOS component {id} uses Huffman table {tableId}, which no DHT defined");
        }

        int selection = sos[1 + (2 * count)];
        int pointTransform = sos[3 + (2 * count)] & 0x0F;
        if (selection is < 1 or > 7)
        {
            throw new PixelDecodeException(Codec, $"SOS predictor selection value {selection} is outside 1..7");
        }

        if (pointTransform >= frame.Precision)
        {
            throw new PixelDecodeException(Codec, $"SOS point transform {pointTransform} is not below precision {frame.Precision}");
        }

        var end = LosslessScan.Decode(data, position, frame, _planes, indices, tables, selection, pointTransform, _restartInterval);
        foreach (var index in indices)
        {
            _decoded[index] = true;
            _pointTransforms[index] = pointTransform;
        }

        return end;
    }

    /// <summary>Writes the decoded planes as native pixels.</summary>
    public byte[] Finish()
    {
        if (_frame is null)
        {
            throw new PixelDecodeException(Codec, "no SOF3 frame header found");
        }

        var missing = Array.IndexOf(_decoded, false);
        if (missing >= 0)
        {
            throw new PixelDecodeException(Codec, $"component {_frame.ComponentIds[missing]} was never decoded (missing SOS)");
        }

        return NativeSampleWriter.Write(_planes, _pointTransforms, _format);
    }

    private void ReadHuffmanTables(ReadOnlySpan<byte> segment)
    {
        var p = 0;
        while (p < segment.Length)
        {
            if (p + 17 > segment.Length)
            {
                throw new PixelDecodeException(Codec, $"DHT table at segment byte {p} is cut short");
            }

            var tableClass = segment[p] >> 4;
            var tableId = segment[p] & 0x0F;
            if (tableClass != 0 || tableId > 3)
            {
                throw new PixelDecodeException(Codec, $"DHT class {tableClass} id {tableId}: lossless uses DC tables 0..3 only");
            }

            var counts = segment.Slice(p + 1, 16);
            var total = 0;
            foreach (var c in counts)
            {
                total += c;
            }

            if (total > 256 || p + 17 + total > segment.Length)
            {
                throw new PixelDecodeException(Codec, $"DHT table {tableId} declares {total} codes but {segment.Length - p - 17} value bytes remain");
            }

            _tables[tableId] = new HuffmanTable(counts, segment.Slice(p + 17, total), tableId);
            p += 17 + total;
        }
    }
}
