namespace MiM.Bundles.Dicom.Codecs;

/// <summary>
/// Turns decoded JPEG component planes into native DICOM pixel bytes: undoes the point transform,
/// and for signed data sign-extends values the codec stored as BitsStored-bit patterns.
/// </summary>
internal static class NativeSampleWriter
{
    public static byte[] Write(ushort[][] planes, int[] pointTransforms, PixelFormat format)
    {
        var output = new byte[format.FrameLength];
        var layout = new NativeLayout(format);
        var stride = layout.Stride;
        var bitsStored = format.BitsStored;
        var extend = format.Signed && bitsStored < format.BitsAllocated;
        var signBit = 1 << (bitsStored - 1);
        var storedMask = (1 << bitsStored) - 1;
        for (var s = 0; s < planes.Length; s++)
        {
            var plane = planes[s];
            var shift = pointTransforms[s];
            var o = layout.Start(s, 0);
            if (format.BytesPerSample == 1)
            {
                for (var i = 0; i < plane.Length; i++, o += stride)
                {
                    output[o] = (byte)(plane[i] << shift);
                }

                continue;
            }

            for (var i = 0; i < plane.Length; i++, o += stride)
            {
                var v = (plane[i] << shift) & 0xFFFF;

                // Only a value whose bits above BitsStored are clear is a bare pattern to extend.
                if (extend && (v & ~storedMask) == 0 && (v & signBit) != 0)
                {
                    v |= ~storedMask & 0xFFFF;
                }

                output[o] = (byte)v;
                output[o + 1] = (byte)(v >> 8);
            }
        }

        return output;
    }
}
