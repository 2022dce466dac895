using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A Conv3d whose stride equals its kernel (patch embeddings, stage-output decoders, the extra stage): patches never
/// overlap, so it is a matrix product of each flattened k³ patch with the kernel viewed as [out, in·k³].
/// Voxels beyond the last whole patch are ignored, as by the convolution.
/// </summary>
public sealed class PatchConv3d : ConvolutionWeights
{
    /// <summary>A patch convolution with kernel = stride = <paramref name="patchSize"/>.</summary>
    public PatchConv3d(int inChannels, int outChannels, int patchSize, bool bias = true)
        : base(nameof(PatchConv3d), nn.Conv3d(inChannels, outChannels, patchSize, stride: patchSize, bias: bias))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Compute(input, Weight, Bias);

    /// <summary>Convolution of <paramref name="input"/> [N, Cin, D, H, W] with <paramref name="weight"/> [Cout, Cin, k, k, k], stride k.</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        long k = weight.shape[2], n = input.shape[0], c = input.shape[1];
        long d = input.shape[2] / k, h = input.shape[3] / k, w = input.shape[4] / k;
        var whole = input.shape[2] == d * k && input.shape[3] == h * k && input.shape[4] == w * k
            ? input
            : input[.., .., ..(int)(d * k), ..(int)(h * k), ..(int)(w * k)];
        var split = whole.reshape(n, c, d, k, h, k, w, k);
        Tensor result;
        if (ReferenceEquals(whole, input) && ChannelsLastMap.Holds(input) && weight.numel() < input.numel())
        {
            // A channels-last map (as the stages hand them on): each patch gathered in memory order (kd, kh, kw, in),
            // runs of k·in contiguous floats, and the kernel reordered to match. The kernel's own (in, kd, kh, kw) order
            // reads every in-th float instead: patch_embed2 at the full size took 21 ms that way, 8.5 ms this way
            // (bench/README.md). Kernels larger than the map (the k8 and k4 stage-output decoders) keep that order:
            // reordering them would cost more than the gather saves.
            var patches = split.permute(0, 2, 4, 6, 3, 5, 7, 1).reshape(n, d, h, w, k * k * k * c);
            result = nn.functional.linear(patches, weight.permute(0, 2, 3, 4, 1).reshape(weight.shape[0], -1), bias);
        }
        else
        {
            // [N, C, d, k, h, k, w, k] → [N, d, h, w, C, k, k, k]: each patch flattened in the kernel's (in, kd, kh, kw) order.
            var patches = split.permute(0, 2, 4, 6, 1, 3, 5, 7).reshape(n, d, h, w, c * k * k * k);
            result = nn.functional.linear(patches, weight.flatten(1), bias);
        }

        return ToChannelsFirst(result).MoveToOuterDisposeScope();
    }
}
