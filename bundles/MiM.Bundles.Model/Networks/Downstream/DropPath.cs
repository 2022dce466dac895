using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>Stochastic depth (timm's <c>drop_path</c>): in training, zeroes a residual branch per sample and rescales the rest.</summary>
public static class DropPath
{
    /// <summary>
    /// <paramref name="branch"/> with each sample kept with probability 1 − <paramref name="rate"/> and divided by it;
    /// unchanged (an alias) in evaluation or at rate 0. Draws from the global generator.
    /// </summary>
    public static Tensor Apply(Tensor branch, double rate, bool training)
    {
        ArgumentNullException.ThrowIfNull(branch);
        if (!training || rate <= 0)
        {
            return branch.alias();
        }

        var keep = 1 - rate;
        var shape = new long[branch.dim()];
        Array.Fill(shape, 1L);
        shape[0] = branch.shape[0];
        using var draw = rand(shape, dtype: branch.dtype, device: branch.device);
        // Scalars held for the whole call: a temporary one can be finalized while libtorch reads it (docs/numerics.md).
        using var keepScalar = keep.ToScalar();
        using var mask = draw.add(keepScalar, CachedScalars.One).floor_();
        using var scaled = branch.div(keepScalar);
        return scaled * mask;
    }
}
