using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// The random stream of one transform applied to one sample: a pure function of (seed, sample index, transform index,
/// branch), so a pipeline gives the same samples whatever the order or the number of threads that run it.
/// </summary>
public sealed class TransformRandom
{
    private readonly SplitMix64 generator;

    /// <summary>The stream for transform <paramref name="transformIndex"/> on sample <paramref name="sampleIndex"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="sampleIndex">Which sample (e.g. dataset item or training step).</param>
    /// <param name="transformIndex">The transform's position in its pipeline.</param>
    /// <param name="branch">Which of the samples a multi-sample transform produced earlier (0 when there was one).</param>
    public TransformRandom(ulong seed, long sampleIndex, int transformIndex, int branch)
    {
        // Each coordinate goes through the bijective finaliser before mixing, so neighbouring indices give unrelated streams.
        var state = SplitMix64.Mix(seed)
            ^ SplitMix64.Mix(((ulong)sampleIndex * 0x9E3779B97F4A7C15UL) + 1)
            ^ SplitMix64.Mix(((ulong)(uint)transformIndex * 0xD1B54A32D192ED03UL) + 2)
            ^ SplitMix64.Mix(((ulong)(uint)branch * 0xAEF17502108EF2D9UL) + 3);
        generator = new SplitMix64(SplitMix64.Mix(state));
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() => generator.NextDouble();

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>).</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);

        // Lemire's multiply-shift on the top 32 bits, as StepRandom does: identical on every platform.
        return (int)(((generator.NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>A uniform long in [0, <paramref name="maxExclusive"/>).</summary>
    public long NextLong(long maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (long)(ulong)(((UInt128)generator.NextUInt64() * (ulong)maxExclusive) >> 64);
    }

    /// <summary>A uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => generator.Uniform(min, max);

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => generator.Chance(probability);
}
