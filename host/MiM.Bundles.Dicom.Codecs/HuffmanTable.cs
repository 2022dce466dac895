namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// A DC-style Huffman table from a DHT segment (T.81 B.2.4.2, C.2, F.2.2.3): canonical codes of
/// 1..16 bits. Codes of up to <see cref="LookupBits"/> bits resolve with one table look-up, the
/// rest with the maxcode/valptr walk.
/// </summary>
internal sealed class HuffmanTable
{
    private const int LookupBits = 9;

    // Packed as (length << 8) | value; 0 means "longer than LookupBits".
    private readonly ushort[] _lookup = new ushort[1 << LookupBits];
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valuePointer = new int[17];
    private readonly int[] _minCode = new int[17];
    private readonly byte[] _values;

    public HuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values, int tableId)
    {
        _values = values.ToArray();
        var code = 0;
        var k = 0;
        for (var length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            _valuePointer[length] = k;
            _minCode[length] = code;
            if (n == 0)
            {
                _maxCode[length] = -1;
            }
            else
            {
                if (code + n > (1 << length))
                {
                    throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"DHT table {tableId} has more {length}-bit codes than fit");
                }

                for (var i = 0; i < n; i++, k++, code++)
                {
                    if (length <= LookupBits)
                    {
                        var shift = LookupBits - length;
                        var packed = (ushort)((length << 8) | _values[k]);
                        _lookup.AsSpan(code << shift, 1 << shift).Fill(packed);
                    }
                }

                _maxCode[length] = code - 1;
            }

            code <<= 1;
        }

        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Decodes one symbol (for lossless: the difference category SSSS).</summary>
    public int Decode(ref JpegBitReader reader)
    {
        var packed = _lookup[(int)reader.Peek(LookupBits)];
        if (packed != 0)
        {
            reader.Skip(packed >> 8);
            return packed & 0xFF;
        }

        for (var length = LookupBits + 1; length <= 16; length++)
        {
            var code = (int)reader.Peek(length);
            if (code <= _maxCode[length])
            {
                reader.Skip(length);
                return _values[_valuePointer[length] + code - _minCode[length]];
            }
        }

        throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"no Huffman code matches the bits at byte {reader.Position}");
    }
}
