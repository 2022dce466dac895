namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// A smooth random 3D displacement: a sum of a few products of cosines, one per axis, each term with a
/// random amplitude vector. Products of 1D waves are tabulated per grid line, so evaluating the field at a
/// voxel costs a few multiply-adds and no trigonometry.
/// </summary>
internal sealed class DisplacementField
{
    private readonly int terms;
    private readonly int size;
    private readonly double[] waveX;
    private readonly double[] waveY;
    private readonly double[] waveZ;
    private readonly double[] amplitude;

    /// <summary>Draws a field of at most <paramref name="amplitudeMm"/> displacement with wavelengths in the given range.</summary>
    public DisplacementField(SplitMix64 rng, PhantomFrame frame, double amplitudeMm, double minWavelengthMm, double maxWavelengthMm, int terms = 4)
    {
        this.terms = terms;
        size = frame.Size;
        MaxDisplacement = amplitudeMm;
        waveX = new double[terms * size];
        waveY = new double[terms * size];
        waveZ = new double[terms * size];
        amplitude = new double[terms * 3];
        for (var t = 0; t < terms; t++)
        {
            Tabulate(rng, frame.X, waveX, t, minWavelengthMm, maxWavelengthMm);
            Tabulate(rng, frame.Y, waveY, t, minWavelengthMm, maxWavelengthMm);
            Tabulate(rng, frame.Z, waveZ, t, minWavelengthMm, maxWavelengthMm);

            // Each term's vector is at most amplitude/terms long, so the sum never exceeds the amplitude.
            var length = amplitudeMm / terms / Math.Sqrt(3);
            amplitude[(3 * t) + 0] = rng.Symmetric(length);
            amplitude[(3 * t) + 1] = rng.Symmetric(length);
            amplitude[(3 * t) + 2] = rng.Symmetric(length);
        }
    }

    /// <summary>An upper bound on the displacement's length, in mm.</summary>
    public double MaxDisplacement { get; }

    /// <summary>The displacement (mm) at voxel (i, j, k).</summary>
    public (double X, double Y, double Z) At(int i, int j, int k)
    {
        double dx = 0, dy = 0, dz = 0;
        for (var t = 0; t < terms; t++)
        {
            var offset = t * size;
            var g = waveX[offset + i] * waveY[offset + j] * waveZ[offset + k];
            dx += amplitude[3 * t] * g;
            dy += amplitude[(3 * t) + 1] * g;
            dz += amplitude[(3 * t) + 2] * g;
        }

        return (dx, dy, dz);
    }

    private void Tabulate(SplitMix64 rng, double[] axis, double[] table, int term, double minWavelength, double maxWavelength)
    {
        var k = 2 * Math.PI / rng.Uniform(minWavelength, maxWavelength);
        var phase = rng.Uniform(0, 2 * Math.PI);
        for (var n = 0; n < size; n++)
        {
            table[(term * size) + n] = Math.Cos((k * axis[n]) + phase);
        }
    }
}
