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
        // [N, C, d, k, h, k, w, k] → [N, d, h, w, C, k, k, k]: each patch flattened in the kernel's (in, kd, kh, kw) order.
        var patches = whole.reshape(n, c, d, k, h, k, w, k).permute(0, 2, 4, 6, 1, 3, 5, 7).reshape(n, d, h, w, c * k * k * k);
        var result = nn.functional.linear(patches, weight.flatten(1), bias);
        return ToChannelsFirst(result).MoveToOuterDisposeScope();
    }
}
