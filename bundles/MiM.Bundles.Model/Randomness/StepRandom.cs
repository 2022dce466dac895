namespace MiM.Bundles.Model.Randomness;

/// <summary>
/// A small, portable PRNG (xoshiro256**) whose stream is a pure function of (seed, step, purpose).
/// Every random choice of a training step (which volume, where to crop, which tokens to mask) draws from
/// the stream of that step, so a resumed run and a background loader that runs ahead both make exactly
/// the choices an uninterrupted run makes, and a checkpoint needs only the seed and the step.
/// </summary>
public sealed class StepRandom
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>A stream for one step and one purpose (for example <see cref="RandomPurpose.Masking"/>).</summary>
    public StepRandom(ulong seed, long step, RandomPurpose purpose)
    {
        var mix = seed ^ (0x9E3779B97F4A7C15UL * (ulong)(step + 1)) ^ (0xD1B54A32D192ED03UL * ((ulong)purpose + 1));
        _s0 = SplitMix(ref mix);
        _s1 = SplitMix(ref mix);
        _s2 = SplitMix(ref mix);
        _s3 = SplitMix(ref mix);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        var result = RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);

        // Lemire's multiply-shift: unbiased enough for mask and crop choices, and identical on every platform.
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A standard normal sample (Box-Muller).</summary>
    public double NextGaussian()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Shuffles <paramref name="items"/> in place (Fisher-Yates).</summary>
    public void Shuffle<T>(IList<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><paramref name="count"/> distinct integers from [0, <paramref name="range"/>), in random order.</summary>
    public int[] Choose(int range, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, range);
        var all = Enumerable.Range(0, range).ToArray();
        Shuffle(all);
        return all[..count];
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));
}

/// <summary>Independent random streams within one training step.</summary>
public enum RandomPurpose
{
    /// <summary>Which volume a step reads.</summary>
    VolumeChoice = 0,

    /// <summary>Where the level-1 crop lies in the volume.</summary>
    Crop = 1,

    /// <summary>The three levels of masks and the choice of children.</summary>
    Masking = 2,

    /// <summary>Anything else (tests, benchmarks).</summary>
    Other = 3,
}
