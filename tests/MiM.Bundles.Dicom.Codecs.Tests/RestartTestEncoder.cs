namespace MiM.Bundles.Dicom.Codecs.Tests;

/// <summary>
/// A minimal lossless JPEG encoder for one 16-bit component, written only because dcmcjpeg has
/// no option to emit restart markers. Its output is cross-checked with DCMTK's dcmdjpeg, so a
/// mistake here cannot make the decoder look right. Fixed Huffman table: category k is the 5-bit code k.
/// </summary>
internal static class RestartTestEncoder
{
    public static byte[] Encode(ushort[] samples, int rows, int columns, int precision, int selection, int restartRows)
    {
        var output = new List<byte> { 0xFF, 0xD8 };
        output.AddRange([0xFF, 0xC3, 0, 11, (byte)precision, (byte)(rows >> 8), (byte)rows, (byte)(columns >> 8), (byte)columns, 1, 1, 0x11, 0]);
        output.AddRange([0xFF, 0xC4, 0, 19 + 17, 0x00, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        for (var k = 0; k <= 16; k++)
        {
            output.Add((byte)k);
        }

        var interval = restartRows * columns;
        output.AddRange([0xFF, 0xDD, 0, 4, (byte)(interval >> 8), (byte)interval]);
        output.AddRange([0xFF, 0xDA, 0, 8, 1, 1, 0x00, (byte)selection, 0, 0]);
        var bits = new BitWriter(output);
        var restart = 0;
        var intervalStart = 0;
        for (var r = 0; r < rows; r++)
        {
            if (r > 0 && (r - intervalStart) == restartRows)
            {
                bits.Flush();
                output.AddRange([0xFF, (byte)(0xD0 + (restart++ & 7))]);
                intervalStart = r;
            }

            for (var c = 0; c < columns; c++)
            {
                var i = (r * columns) + c;
                int prediction = r == intervalStart
                    ? (c == 0 ? 1 << (precision - 1) : samples[i - 1])
                    : c == 0 ? samples[i - columns] : Predict(selection, samples[i - 1], samples[i - columns], samples[i - columns - 1]);
                var d = (samples[i] - prediction) & 0xFFFF;
                if (d > 32768)
                {
                    d -= 65536;
                }

                var category = d == 32768 ? 16 : d == 0 ? 0 : 32 - (int)uint.LeadingZeroCount((uint)Math.Abs(d));
                bits.Write(category, 5);
                if (category is > 0 and < 16)
                {
                    bits.Write(d > 0 ? d : d + (1 << category) - 1, category);
                }
            }
        }

        bits.Flush();
        output.AddRange([0xFF, 0xD9]);
        return [.. output];
    }

    private static int Predict(int selection, int ra, int rb, int rc) => selection switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        _ => (ra + rb) >> 1,
    };

    private sealed class BitWriter(List<byte> output)
    {
        private int _buffer;
        private int _count;

        public void Write(int value, int length)
        {
            for (var b = length - 1; b >= 0; b--)
            {
                _buffer = (_buffer << 1) | ((value >> b) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        public void Flush()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            output.Add((byte)_buffer);
            if (_buffer == 0xFF)
            {
                output.Add(0);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
