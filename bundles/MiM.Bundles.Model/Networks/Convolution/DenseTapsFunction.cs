using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A full k³ convolution (stride 1, padding k/2) computed as a sum over its k³ taps of matrix products (the input
/// shifted by the tap, channels-last, times the tap's [Cin, Cout] kernel), in the forward pass and both gradients: the
/// input gradient is the same correlation of the output gradient with the kernel transposed and flipped, the weight
/// gradient per tap the product of the shifted input with the output gradient. Only the input is kept for the
/// backward pass, and no convolution kernel of libtorch runs. Arguments to <c>apply</c>: input, weight [Cout, Cin, k, k, k], bias [Cout] or null.
/// </summary>
internal sealed class DenseTapsFunction : SingleTensorFunction<DenseTapsFunction>
{
    public override string Name => "DenseTapsConv3d";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var input = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        ctx.save_for_backward([input, weight]);
        ctx.save_data("bias", bias is not null);
        return Correlate(input, weight, bias);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var saved = ctx.get_saved_variables();
        var (input, weight) = (saved[0], saved[1]);
        using var adjoint = weight.transpose(0, 1).flip(2, 3, 4);
        var inputGradient = Correlate(grad_output, adjoint, null);
        var weightGradient = WeightGradient(input, grad_output, weight);
        var biasGradient = (bool)ctx.get_data("bias") ? grad_output.sum([0, 2, 3, 4]) : null;
        input.Dispose();
        weight.Dispose();
        return [inputGradient, weightGradient, biasGradient!];
    }

    /// <summary>The convolution: [N, Cin, D, H, W] → [N, Cout, D, H, W], one matrix product per kernel tap.</summary>
    internal static Tensor Correlate(Tensor input, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var (n, d, h, w) = (input.shape[0], input.shape[2], input.shape[3], input.shape[4]);
        var outChannels = weight.shape[0];
        var taps = weight.permute(2, 3, 4, 1, 0).contiguous();                          // [k, k, k, Cin, Cout]
        var result = bias is null
            ? zeros([n * d * h * w, outChannels], dtype: input.dtype, device: input.device)
            : bias.expand(n * d * h * w, outChannels).contiguous();
        foreach (var (a, b, c, shifted) in ShiftedInputs(input, weight.shape[2]))
        {
            result.addmm_(shifted, taps[a, b, c], beta: 1, alpha: 1);
        }

        return result.view(n, d, h, w, outChannels).permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();
    }

    private static Tensor WeightGradient(Tensor input, Tensor gradOutput, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var k = weight.shape[2];
        var gradients = gradOutput.permute(0, 2, 3, 4, 1).reshape(-1, weight.shape[0]);  // [N·D·H·W, Cout]
        var taps = empty([k, k, k, weight.shape[1], weight.shape[0]], dtype: weight.dtype, device: weight.device);
        foreach (var (a, b, c, shifted) in ShiftedInputs(input, k))
        {
            taps[a, b, c].copy_(shifted.t().mm(gradients));
        }

        return taps.permute(4, 3, 0, 1, 2).contiguous().MoveToOuterDisposeScope();     // [Cout, Cin, k, k, k]
    }

    /// <summary>
    /// For each kernel tap (a, b, c), the input shifted by it as a [N·D·H·W, Cin] matrix (channels-last, zero padded):
    /// a copy of rows of whole channel vectors, one tap at a time, so no k³-times copy of the input ever exists.
    /// </summary>
    private static IEnumerable<(int A, int B, int C, Tensor Shifted)> ShiftedInputs(Tensor input, long k)
    {
        var pad = k / 2;
        long c = input.shape[1], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        using var padded = nn.functional.pad(input.permute(0, 2, 3, 4, 1), [0, 0, pad, pad, pad, pad, pad, pad]);
        for (var a = 0; a < k; a++)
        {
            for (var b = 0; b < k; b++)
            {
                for (var e = 0; e < k; e++)
                {
                    using var view = padded[.., a..(int)(a + d), b..(int)(b + h), e..(int)(e + w)];
                    using var shifted = view.reshape(-1, c);
                    yield return (a, b, e, shifted);
                }
            }
        }
    }
}
