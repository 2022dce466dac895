namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Decodes the entropy-coded data of one lossless scan (T.81 Annex H) into component planes of
/// point-transformed samples.
/// </summary>
internal static class LosslessScan
{
    /// <summary>Decodes one scan starting at <paramref name="position"/>; returns where its entropy data stops.</summary>
    public static int Decode(
        ReadOnlySpan<byte> data,
        int position,
        JpegFrameHeader frame,
        ushort[][] planes,
        int[] componentIndices,
        HuffmanTable[] tables,
        int selection,
        int pointTransform,
        int restartInterval)
    {
        var columns = frame.SamplesPerLine;
        var rows = frame.Lines;
        if (restartInterval > 0 && restartInterval % columns != 0)
        {
            // Lossless restart intervals must cover whole rows (T.81 H.1.2.1 relies on it for prediction).
            throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"restart interval {restartInterval} is not a multiple of the {columns} samples per line");
        }

        var reader = new JpegBitReader(data, position);
        var initial = 1 << (frame.Precision - pointTransform - 1);
        var mask = 0xFFFF;
        var rowsPerInterval = restartInterval > 0 ? restartInterval / columns : int.MaxValue;
        var intervalStartRow = 0;
        var restartIndex = 0;
        var count = componentIndices.Length;
        for (var r = 0; r < rows; r++)
        {
            if (r > 0 && r - intervalStartRow == rowsPerInterval)
            {
                reader.Restart(restartIndex++);
                intervalStartRow = r;
            }

            var firstRow = r == intervalStartRow;
            var rowStart = r * columns;
            for (var c = 0; c < columns; c++)
            {
                var i = rowStart + c;
                for (var k = 0; k < count; k++)
                {
                    var plane = planes[componentIndices[k]];
                    int prediction;
                    if (firstRow)
                    {
                        prediction = c == 0 ? initial : plane[i - 1];
                    }
                    else if (c == 0)
                    {
                        prediction = plane[i - columns];
                    }
                    else
                    {
                        prediction = LosslessPredictor.Predict(selection, plane[i - 1], plane[i - columns], plane[i - columns - 1]);
                    }

                    plane[i] = (ushort)((prediction + ReadDifference(ref reader, tables[k])) & mask);
                }
            }
        }

        return reader.Position;
    }

    private static int ReadDifference(ref JpegBitReader reader, HuffmanTable table)
    {
        var category = table.Decode(ref reader);
        switch (category)
        {
            case 0:
                return 0;
            case 16:
                // H.1.2.2: category 16 has no extra bits and means +32768.
                return 32768;
            case > 16:
                throw new PixelDecodeException(JpegLosslessDecoder.CodecName, $"difference category {category} above 16 at byte {reader.Position}");
            default:
                var bits = reader.Read(category);
                return bits < (1 << (category - 1)) ? bits - (1 << category) + 1 : bits;
        }
    }
}
