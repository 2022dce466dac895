namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Reads entropy-coded bits of a JPEG scan: removes the 0x00 stuffed after 0xFF and stops at
/// the first marker. Bits past the real data read as zero so look-ahead is cheap, but consuming
/// one of them is an error: a scan that needs more bits than it has is truncated.
/// </summary>
internal ref struct JpegBitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private ulong _buffer;
    private int _count;
    private int _padding;
    private bool _atMarker;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        Position = position;
    }

    /// <summary>The next unread byte of the stream (a marker's 0xFF once <see cref="AtMarker"/>).</summary>
    public int Position { get; private set; }

    public readonly bool AtMarker => _atMarker;

    public ulong Peek(int bits)
    {
        if (_count < bits)
        {
            Fill();
        }

        return _buffer >> (64 - bits);
    }

    public void Skip(int bits)
    {
        _buffer <<= bits;
        _count -= bits;
        if (_count < _padding)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"entropy-coded data ends (at byte {Position}) before the scan is complete");
        }
    }

    public int Read(int bits)
    {
        if (bits == 0)
        {
            return 0;
        }

        var value = (int)Peek(bits);
        Skip(bits);
        return value;
    }

    /// <summary>Drops the bits left in the buffer and consumes the expected RSTn marker.</summary>
    public void Restart(int expectedIndex)
    {
        // The buffer may hold the interval's last padding bits without having looked at the next byte yet.
        Fill();
        if (!_atMarker)
        {
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"restart interval ends at byte {Position} without a marker following its data");
        }

        var p = Position;
        while (p + 1 < _data.Length && _data[p + 1] == 0xFF)
        {
            p++;
        }

        var expected = 0xD0 + (expectedIndex & 7);
        if (p + 1 >= _data.Length || _data[p + 1] != expected)
        {
            var found = p + 1 < _data.Length ? $"0xFF{_data[p + 1]:X2}" : "end of data";
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"expected restart marker RST{expectedIndex & 7} at byte {p}, found {found}");
        }

        Position = p + 2;
        _buffer = 0;
        _count = 0;
        _padding = 0;
        _atMarker = false;
    }

    private void Fill()
    {
        while (_count <= 56)
        {
            ulong b = 0;
            if (_atMarker || Position >= _data.Length)
            {
                _padding += 8;
            }
            else
            {
                b = _data[Position];
                if (b == 0xFF)
                {
                    if (Position + 1 < _data.Length && _data[Position + 1] == 0x00)
                    {
                        Position += 2;
                    }
                    else
                    {
                        // A marker (or fill byte before one) ends the segment; leave it for the caller.
                        _atMarker = true;
                        continue;
                    }
                }
                else
                {
                    Position++;
                }
            }

            _buffer |= b << (56 - _count);
            _count += 8;
        }
    }
}
