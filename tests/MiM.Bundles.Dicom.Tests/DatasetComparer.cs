using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Tests;

/// <summary>Element-by-element equality of two data sets (group lengths and file meta aside), with the first difference.</summary>
internal static class DatasetComparer
{
    public static string? FirstDifference(DicomDataset expected, DicomDataset actual, string path = "")
    {
        var left = expected.Where(Compared).ToList();
        var right = actual.Where(Compared).ToList();
        if (!left.Select(e => e.Tag).SequenceEqual(right.Select(e => e.Tag)))
        {
            var missing = left.Select(e => e.Tag).Except(right.Select(e => e.Tag));
            var extra = right.Select(e => e.Tag).Except(left.Select(e => e.Tag));
            return $"{path}: tags differ; missing [{string.Join(",", missing)}] extra [{string.Join(",", extra)}]";
        }

        for (var i = 0; i < left.Count; i++)
        {
            var (a, b) = (left[i], right[i]);
            var where = $"{path}{a.Tag}";
            if (a.Vr != b.Vr)
            {
                return $"{where}: VR {a.Vr} vs {b.Vr}";
            }

            switch (a, b)
            {
                case (DicomValueElement x, DicomValueElement y):
                    if (!Trimmed(x).SequenceEqual(Trimmed(y)))
                    {
                        return $"{where}: values differ ({x.Length} vs {y.Length} bytes)";
                    }

                    break;
                case (DicomSequence x, DicomSequence y):
                    if (x.Items.Count != y.Items.Count)
                    {
                        return $"{where}: {x.Items.Count} vs {y.Items.Count} items";
                    }

                    for (var k = 0; k < x.Items.Count; k++)
                    {
                        if (FirstDifference(x.Items[k], y.Items[k], $"{where}[{k}].") is { } difference)
                        {
                            return difference;
                        }
                    }

                    break;
                case (DicomFragmentSequence x, DicomFragmentSequence y):
                    if (!x.OffsetTable.GetBytes().SequenceEqual(y.OffsetTable.GetBytes()) || x.Fragments.Count != y.Fragments.Count
                        || x.Fragments.Zip(y.Fragments).Any(p => !Even(p.First.GetBytes()).SequenceEqual(Even(p.Second.GetBytes()))))
                    {
                        return $"{where}: fragments differ";
                    }

                    break;
                default:
                    return $"{where}: element kinds differ ({a.GetType().Name} vs {b.GetType().Name})";
            }
        }

        return null;
    }

    private static bool Compared(DicomElement e) => !e.Tag.IsGroupLength && e.Tag.Group != 0x0002;

    /// <summary>Odd-length values gain one padding byte when written; the padded and unpadded forms are the same value.</summary>
    private static byte[] Trimmed(DicomValueElement e) => Even(e.Buffer.GetBytes());

    private static byte[] Even(byte[] bytes) => bytes.Length % 2 == 1 ? [.. bytes, 0] : bytes;
}
