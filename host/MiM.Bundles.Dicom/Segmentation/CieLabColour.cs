using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// sRGB → CIE L*a*b* (D65 white, as dcmqi and highdicom do) → the DICOM scaled form of Recommended Display CIELab
/// Value (PS3.3 C.10.7.1.1): L* 0..100 and a*, b* −128..127 mapped linearly onto 0..65535.
/// </summary>
public static class CieLabColour
{
    // D65 reference white, Y normalised to 1.
    private const double WhiteX = 0.95047;
    private const double WhiteZ = 1.08883;
    private const double Epsilon = 216.0 / 24389.0; // (6/29)^3
    private const double Kappa = 24389.0 / 27.0;

    /// <summary>The CIELab values (L*, a*, b*) of an sRGB colour.</summary>
    public static (double L, double A, double B) ToLab(RgbColour colour)
    {
        var r = Linear(colour.R);
        var g = Linear(colour.G);
        var b = Linear(colour.B);
        var x = ((0.4124564 * r) + (0.3575761 * g) + (0.1804375 * b)) / WhiteX;
        var y = (0.2126729 * r) + (0.7151522 * g) + (0.0721750 * b);
        var z = ((0.0193339 * r) + (0.1191920 * g) + (0.9503041 * b)) / WhiteZ;
        var (fx, fy, fz) = (F(x), F(y), F(z));
        return ((116 * fy) - 16, 500 * (fx - fy), 200 * (fy - fz));
    }

    /// <summary>The three unsigned 16-bit values DICOM stores for an sRGB colour.</summary>
    public static ushort[] ToDicom(RgbColour colour)
    {
        var (l, a, b) = ToLab(colour);
        return [Scale(l / 100.0), Scale((a + 128) / 255.0), Scale((b + 128) / 255.0)];
    }

    private static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }

    private static double F(double t) => t > Epsilon ? Math.Cbrt(t) : ((Kappa * t) + 16) / 116;

    private static ushort Scale(double unit) => (ushort)Math.Clamp(Math.Round(unit * 65535), 0, 65535);
}
