using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Losses;

/// <summary>BYOL's regression distance d(a, b) = 2 − 2·cos(a, b) on L2-normalised vectors: 0 for equal, 4 for opposite.</summary>
public static class ByolDistance
{
    /// <summary>The distance between corresponding rows of <paramref name="a"/> and <paramref name="b"/> ([..., D] each).</summary>
    public static Tensor Compute(Tensor a, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        using var scope = NewDisposeScope();
        var na = nn.functional.normalize(a, p: 2, dim: -1);
        var nb = nn.functional.normalize(b, p: 2, dim: -1);
        // 2 − 2·cos without temporary Scalars (they can be finalized while libtorch reads them; docs/numerics.md).
        using var minusTwo = (-2.0).ToScalar();
        using var two = 2.0.ToScalar();
        return na.mul(nb).sum(-1).mul_(minusTwo).add_(two, CachedScalars.One).MoveToOuterDisposeScope();
    }
}
