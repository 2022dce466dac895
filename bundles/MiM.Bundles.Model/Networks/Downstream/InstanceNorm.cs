using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// Non-affine instance norm (eps 1e-5) over [N, C, D, H, W], as MONAI's "instance" norm. A map of a single voxel (the
/// extra stage at a 32³ ROI) has no spatial statistics — normalising it would zero it — so it passes unchanged.
/// </summary>
/// <remarks>
/// The convolutions hand on channels-last maps. libtorch's <c>instance_norm</c> first copies such a map into the
/// channels-first order and returns it so, and the next convolution copies it back: at 96³ × 48 channels each norm
/// took ~0.15 s. Without autograd (inference) a channels-last map is normalised in place of that, in its own layout:
/// per-channel sums over the voxels (libtorch's cascaded sum, as accurate as its instance norm measured against
/// float64) and two element-wise passes. With autograd libtorch's own norm and its backward run unchanged.
/// </remarks>
internal static class InstanceNorm
{
    private const double Epsilon = 1e-5;

    /// <summary>The normalised map, in the input's layout when that is channels-last and no gradient is recorded.</summary>
    public static Tensor Apply(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.shape[2] * x.shape[3] * x.shape[4] == 1)
        {
            return x.alias();
        }

        return !is_grad_enabled() && ChannelsLastMap.Holds(x) ? ChannelsLast(x) : nn.functional.instance_norm(x, eps: Epsilon);
    }

    private static Tensor ChannelsLast(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (n, c) = (x.shape[0], x.shape[1]);
        var flat = x.permute(0, 2, 3, 4, 1).view(n, -1, c);                            // [N, voxels, C]
        var voxels = flat.shape[1];
        using var count = ((double)voxels).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        var centered = flat.sub(flat.sum([1L], keepdim: true).div_(count));
        var variance = centered.mul(centered).sum([1L], keepdim: true).div_(count);
        var normalised = centered.mul_(variance.add_(epsilon, CachedScalars.One).rsqrt_());
        return normalised.view(n, x.shape[2], x.shape[3], x.shape[4], c).permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();
    }
}
