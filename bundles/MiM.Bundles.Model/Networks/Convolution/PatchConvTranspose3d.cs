using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A ConvTranspose3d whose stride equals its kernel (UNETR up-blocks): each input voxel writes its own k³ block, so it
/// is a matrix product with the kernel viewed as [in, out·k³] followed by a re-arrangement of the blocks.
/// </summary>
public sealed class PatchConvTranspose3d : ConvolutionWeights
{
    /// <summary>A transposed patch convolution with kernel = stride = <paramref name="patchSize"/>.</summary>
    public PatchConvTranspose3d(int inChannels, int outChannels, int patchSize, bool bias = true)
        : base(nameof(PatchConvTranspose3d), nn.ConvTranspose3d(inChannels, outChannels, patchSize, stride: patchSize, bias: bias))
    {
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input) => Compute(input, Weight, Bias);

    /// <summary>Transposed convolution of <paramref name="input"/> [N, Cin, D, H, W] with <paramref name="weight"/> [Cin, Cout, k, k, k], stride k.</summary>
    public static Tensor Compute(Tensor input, Tensor weight, Tensor? bias)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        using var scope = NewDisposeScope();
        long k = weight.shape[2], n = input.shape[0], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        var outChannels = weight.shape[1];
        var blocks = input.permute(0, 2, 3, 4, 1).matmul(weight.flatten(1));            // [N, d, h, w, out·k³]
        // Laid out channels-last, as every other convolution here hands on its output: the next block's norm and
        // convolution then read it without a transposing copy.
        var result = blocks.view(n, d, h, w, outChannels, k, k, k)
            .permute(0, 1, 5, 2, 6, 3, 7, 4)                                             // [N, d, k, h, k, w, k, out]
            .reshape(n, d * k, h * k, w * k, outChannels)
            .permute(0, 4, 1, 2, 3);
        if (bias is not null)
        {
            result = result.add(bias.view(1, outChannels, 1, 1, 1), CachedScalars.One);
        }

        return result.MoveToOuterDisposeScope();
    }
}
