using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Codecs;

/// <summary>Walks the marker segments of a JPEG stream, checking each length against the bytes left.</summary>
internal ref struct JpegMarkerStream
{
    private readonly ReadOnlySpan<byte> _data;

    public JpegMarkerStream(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    public int Position { get; private set; }

    public void ExpectStartOfImage()
    {
        if (_data.Length < 2 || _data[0] != 0xFF || _data[1] != JpegMarkers.StartOfImage)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, "stream does not start with the SOI marker 0xFFD8");
        }

        Position = 2;
    }

    /// <summary>Reads the next marker; false at the end of the data (a missing EOI is tolerated).</summary>
    public bool TryNextMarker(out int marker)
    {
        marker = 0;
        if (Position >= _data.Length)
        {
            return false;
        }

        if (_data[Position] != 0xFF)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"expected a marker at byte {Position}, found 0x{_data[Position]:X2}");
        }

        // Fill bytes (extra 0xFF) may precede any marker.
        var p = Position + 1;
        while (p < _data.Length && _data[p] == 0xFF)
        {
            p++;
        }

        if (p >= _data.Length)
        {
            Position = p;
            return false;
        }

        marker = _data[p];
        Position = p + 1;
        return true;
    }

    /// <summary>Returns the marker segment's payload (after its two length bytes) and steps over it.</summary>
    public ReadOnlySpan<byte> ReadSegment(int marker)
    {
        if (Position + 2 > _data.Length)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"marker 0xFF{marker:X2} at byte {Position - 2} has no length");
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(_data[Position..]);
        if (length < 2 || Position + length > _data.Length)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"marker 0xFF{marker:X2} at byte {Position - 2} declares length {length} but {_data.Length - Position} bytes remain");
        }

        var payload = _data.Slice(Position + 2, length - 2);
        Position += length;
        return payload;
    }

    /// <summary>After a scan, moves to the next real marker (0xFF not followed by 0x00 or an RSTn).</summary>
    public void SkipEntropyData(int from)
    {
        var p = from;
        while (p + 1 < _data.Length)
        {
            if (_data[p] == 0xFF && _data[p + 1] != 0x00 && _data[p + 1] != 0xFF && (_data[p + 1] < JpegMarkers.Rst0 || _data[p + 1] > JpegMarkers.Rst7))
            {
                break;
            }

            p++;
        }

        Position = p + 1 < _data.Length ? p : _data.Length;
    }
}
