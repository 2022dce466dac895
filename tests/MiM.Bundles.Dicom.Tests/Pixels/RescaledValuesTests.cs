using MiM.Bundles.Dicom.Codecs;
using MiM.Bundles.Dicom.Pixels;

namespace MiM.Bundles.Dicom.Tests.Pixels;

/// <summary>The loader's direct bytes → rescaled path equals stored values (StoredValues) × slope + intercept, rounded to float.</summary>
public class RescaledValuesTests
{
    [Theory]
    [InlineData(16, true, 1, -1024)]
    [InlineData(16, true, 2, 0)]
    [InlineData(16, false, 1, -1024)]
    [InlineData(12, true, 1, -1024)]
    [InlineData(12, false, 1, 0)]
    [InlineData(16, true, 0.1, -1000.5)]
    public void Direct_conversion_equals_stored_values_times_slope_plus_intercept(int bitsStored, bool twosComplement, double slope, double intercept)
    {
        var random = new Random(bitsStored * 7 + (twosComplement ? 1 : 0));
        var bytes = new byte[2 * 1001]; // an odd count leaves a tail after the vector loop
        random.NextBytes(bytes);
        bytes[0] = 0x00; bytes[1] = 0x80; // -32768 or 32768: extremes and stray high bits for 12 bits
        bytes[2] = 0xFF; bytes[3] = 0x7F;
        var format = new PixelFormat(1, 1001, 1, 16, bitsStored, twosComplement, false);
        var expected = StoredValues.Convert(bytes, format).Select(v => (float)((v * slope) + intercept)).ToArray();
        var actual = new float[1001];
        RescaledValues.Convert(bytes, format, slope, intercept, actual);
        Assert.Equal(expected, actual);
    }
}
