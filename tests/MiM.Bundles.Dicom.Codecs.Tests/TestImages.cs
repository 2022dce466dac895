namespace MiM.Bundles.Dicom.Codecs.Tests;

/// <summary>
/// CT-like synthetic pixels: smooth anatomy-ish structure plus noise, the range extremes, and for
/// 16-bit a 0 → 0x8000 step that forces the JPEG difference of 32768 (category 16).
/// </summary>
internal static class TestImages
{
    public static NativeImage Make(PixelFormat f, int frames = 1, int seed = 7)
    {
        var random = new Random(seed);
        var lo = f.Signed ? -(1 << (f.BitsStored - 1)) : 0;
        var hi = f.Signed ? (1 << (f.BitsStored - 1)) - 1 : (1 << f.BitsStored) - 1;
        var frameLength = (int)f.FrameLength;
        var pixels = new byte[frameLength * frames];
        var pixelCount = f.Rows * f.Columns;
        for (var frame = 0; frame < frames; frame++)
        {
            for (var s = 0; s < f.SamplesPerPixel; s++)
            {
                for (var r = 0; r < f.Rows; r++)
                {
                    for (var c = 0; c < f.Columns; c++)
                    {
                        var shape = 0.5 + (0.45 * Math.Sin((r / 7.0) + s) * Math.Cos((c / 5.0) + frame));
                        var value = lo + (int)((hi - lo) * shape) + random.Next(-(hi - lo) / 50, ((hi - lo) / 50) + 1);
                        if (r == 1)
                        {
                            value = c % 2 == 0 ? lo : hi;
                        }

                        value = Math.Clamp(value, lo, hi);
                        if (f.BitsAllocated == 16 && f.BitsStored == 16 && r == 2 && c < 4)
                        {
                            // Pattern 0 then 0x8000: a difference of exactly 32768.
                            value = c % 2 == 0 ? 0 : (f.Signed ? -32768 : 32768);
                        }

                        var index = f.PlanarConfiguration
                            ? (s * pixelCount) + (r * f.Columns) + c
                            : (((r * f.Columns) + c) * f.SamplesPerPixel) + s;
                        var o = (frame * frameLength) + (index * f.BytesPerSample);
                        pixels[o] = (byte)value;
                        if (f.BytesPerSample == 2)
                        {
                            pixels[o + 1] = (byte)(value >> 8);
                        }
                    }
                }
            }
        }

        return new NativeImage(f, frames, pixels);
    }

    public static IEnumerable<object[]> Formats() =>
    [
        ["ct16s", new PixelFormat(67, 83, 1, 16, 16, true, false)],
        ["u16", new PixelFormat(64, 64, 1, 16, 16, false, false)],
        ["u12", new PixelFormat(50, 61, 1, 16, 12, false, false)],
        ["s12", new PixelFormat(50, 61, 1, 16, 12, true, false)],
        ["u8", new PixelFormat(41, 37, 1, 8, 8, false, false)],
        ["rgb8", new PixelFormat(33, 47, 3, 8, 8, false, false)],
    ];
}
