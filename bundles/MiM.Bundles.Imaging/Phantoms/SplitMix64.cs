namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>
/// SplitMix64: a tiny, fixed pseudo-random generator. Unlike <see cref="Random"/>, its sequence is
/// specified here, so a seed gives the same phantom on every runtime, machine and thread count.
/// </summary>
internal sealed class SplitMix64
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;

    private ulong state;

    /// <summary>Starts the sequence at <paramref name="state"/>.</summary>
    public SplitMix64(ulong state) => this.state = state;

    /// <summary>The stream <paramref name="stream"/> of case <paramref name="seed"/>.</summary>
    public static SplitMix64 ForStream(int seed, PhantomStream stream) =>
        new(Mix(Mix((ulong)(long)seed) ^ ((ulong)stream * 0xD1B54A32D192ED03UL)));

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit hash with good avalanche.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        state += Golden;
        return Mix(state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    /// <summary>Uniform in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public double Uniform(double min, double max) => min + ((max - min) * NextDouble());

    /// <summary>Uniform in [-<paramref name="magnitude"/>, <paramref name="magnitude"/>).</summary>
    public double Symmetric(double magnitude) => Uniform(-magnitude, magnitude);

    /// <summary>True with probability <paramref name="probability"/>.</summary>
    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxInclusive"/>].</summary>
    public int Between(int minInclusive, int maxInclusive) =>
        minInclusive + (int)(NextUInt64() % (ulong)(maxInclusive - minInclusive + 1));
}
