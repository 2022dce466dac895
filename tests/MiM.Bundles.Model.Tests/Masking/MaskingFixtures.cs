using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Masking;

/// <summary>Crops, configurations and index helpers shared by the masking tests.</summary>
internal static class MaskingFixtures
{
    public const ulong Seed = 20250917;

    /// <summary>The spec's "2 children per level" for the unit network.</summary>
    public static MaskInMaskConfig UnitConfig { get; } = new() { Level2Count = 2, Level3PerLevel2 = 2 };

    /// <summary>A random level-1 crop [1, 1, 2S, 2S, 2S] in [0, 1); random so that any misplaced voxel shows.</summary>
    public static Tensor Crop(int inputSize, long seed = 7)
    {
        var generator = new Generator((ulong)seed);
        var edge = 2L * inputSize;
        return torch.rand([1, 1, edge, edge, edge], generator: generator);
    }

    public static StepRandom Stream(long step) => new(Seed, step, RandomPurpose.Masking);

    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static float[] Row(Tensor mask, long row) => mask[row].data<float>().ToArray();

    /// <summary>Level-1 tokens of octant o's cube, computed from the definition rather than from the library.</summary>
    public static HashSet<long> CubeOf(int octant, int grid)
    {
        var half = grid / 2;
        var cube = new HashSet<long>();
        for (var t = 0L; t < (long)grid * grid * grid; t++)
        {
            var (h, w, d) = (t / (grid * grid), t / grid % grid, t % grid);
            if (h / half == ((octant >> 2) & 1) && w / half == ((octant >> 1) & 1) && d / half == (octant & 1))
            {
                cube.Add(t);
            }
        }

        return cube;
    }

    public static MimNetworkConfig Network(int inputSize) => MimNetworkConfig.Unit with { InputSize = inputSize };
}
