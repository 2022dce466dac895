using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

/// <summary>A few small cases generated once and shared by the phantom tests (64³ keeps the suite fast).</summary>
public sealed class PhantomCasesFixture
{
    public const int Size = 64;

    public static readonly int[] Seeds = [1, 2, 3, 4, 5, 6];

    public PhantomCasesFixture()
    {
        Cases = [.. Seeds.Select(seed => PhantomGenerator.Generate(seed, Size))];
    }

    public IReadOnlyList<PhantomCase> Cases { get; }
}
