namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// Deep muscles beside the spine: the paraspinal (erector spinae) masses behind the transverse processes
/// along the whole column, and the psoas muscles that appear beside the lumbar vertebral bodies and
/// grow towards the pelvis.
/// </summary>
internal sealed class Musculature
{
    private readonly double paraspinalWidth, paraspinalDepth, paraspinalOffset;
    private readonly double psoasTop, psoasMaxRadius, psoasGrowth;

    /// <summary>Draws case <paramref name="seed"/>'s muscles.</summary>
    public Musculature(int seed)
    {
        var rng = SplitMix64.ForStream(seed, PhantomStream.Muscles);
        paraspinalWidth = rng.Uniform(20, 27);
        paraspinalDepth = rng.Uniform(20, 28);
        paraspinalOffset = (0.7 * paraspinalDepth) + rng.Uniform(0, 6);
        psoasTop = rng.Uniform(-110, -70);
        psoasMaxRadius = rng.Uniform(16, 26);
        psoasGrowth = rng.Uniform(0.12, 0.22);
    }

    /// <summary>True inside either paraspinal muscle.</summary>
    public bool IsParaspinal(double x, double y, VertebraSlice v)
    {
        var cy = v.CanalY + paraspinalOffset;
        var cx = v.CanalRadius + 3 + (0.9 * paraspinalWidth);
        var dx = (Math.Abs(x - v.X) - cx) / paraspinalWidth;
        var dy = (y - cy) / paraspinalDepth;
        return (dx * dx) + (dy * dy) <= 1;
    }

    /// <summary>True inside either psoas muscle at height <paramref name="z"/>.</summary>
    public bool IsPsoas(double x, double y, double z, VertebraSlice v)
    {
        if (z > psoasTop)
        {
            return false;
        }

        var r = Math.Min(psoasMaxRadius, 4 + ((psoasTop - z) * psoasGrowth));
        var dx = Math.Abs(x - v.X) - (v.HalfWidth + (0.8 * r));
        var dy = y - (v.Y + (0.1 * r));
        return (dx * dx) + (dy * dy) <= r * r;
    }
}
