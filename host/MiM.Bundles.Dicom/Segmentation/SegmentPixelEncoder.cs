using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// The Pixel Data of a DICOM-SEG. BINARY: pixel n of the whole multi-frame object (frame × rows × columns + offset)
/// is bit n % 8 of byte n / 8, least significant bit first, frames packed contiguously without padding between them
/// (PS3.5 8.1.1); FRACTIONAL: one byte per pixel, 0 or <see cref="MaxFractional"/>. Padded to an even length.
/// </summary>
internal static class SegmentPixelEncoder
{
    /// <summary>The Maximum Fractional Value written for FRACTIONAL.</summary>
    public const byte MaxFractional = 255;

    public static byte[] Encode(LabelMap labels, IReadOnlyList<SegmentFrame> frames, SegmentationPixels pixels)
    {
        var plane = labels.Size.I * labels.Size.J;
        var bits = pixels == SegmentationPixels.Binary;
        var length = bits ? ((long)frames.Count * plane + 7) / 8 : (long)frames.Count * plane;
        length += length % 2;
        if (length > Array.MaxLength)
        {
            throw new DicomException($"{frames.Count} frames of {labels.Size.I}x{labels.Size.J} need {length} bytes of pixel data; more than one DICOM object holds (use BINARY or drop empty frames)");
        }

        var data = new byte[length];
        if (!bits)
        {
            Parallel.For(0, frames.Count, f =>
            {
                var source = labels.Voxels.AsSpan(frames[f].Plane * plane, plane);
                var target = data.AsSpan(f * plane, plane);
                var value = frames[f].LabelValue;
                for (var p = 0; p < plane; p++)
                {
                    target[p] = source[p] == value ? MaxFractional : (byte)0;
                }
            });
            return data;
        }

        // Frames whose first bit starts a byte touch no byte of another frame and can be packed in parallel.
        if (plane % 8 == 0)
        {
            Parallel.For(0, frames.Count, f => PackFrame(labels, frames[f], (long)f * plane, data));
        }
        else
        {
            for (var f = 0; f < frames.Count; f++)
            {
                PackFrame(labels, frames[f], (long)f * plane, data);
            }
        }

        return data;
    }

    private static void PackFrame(LabelMap labels, SegmentFrame frame, long firstBit, byte[] data)
    {
        var plane = labels.Size.I * labels.Size.J;
        var source = labels.Voxels.AsSpan(frame.Plane * plane, plane);
        var value = frame.LabelValue;
        for (var p = 0; p < plane; p++)
        {
            if (source[p] == value)
            {
                var bit = firstBit + p;
                data[bit >> 3] |= (byte)(1 << (int)(bit & 7));
            }
        }
    }
}
