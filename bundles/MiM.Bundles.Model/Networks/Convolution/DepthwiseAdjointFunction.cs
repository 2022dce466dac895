using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A depthwise k³ convolution (stride 1, padding k/2) whose input gradient is computed as what it is, the same
/// depthwise convolution of the output gradient with the kernel flipped, so every pass runs libtorch's depthwise
/// <em>forward</em> kernel (oneDNN's brdgmm, right on the CPUs where its backward-data kernel is not). The weight
/// gradient is <see cref="DepthwiseWeightGradient"/>'s in float32 on the CPU (2–3× faster than libtorch's there, no
/// recomputed forward), else libtorch's weight-only backward of a recomputed forward.
/// Arguments to <c>apply</c>: input, weight [C, 1, k, k, k], bias [C] or null.
/// </summary>
internal sealed class DepthwiseAdjointFunction : SingleTensorFunction<DepthwiseAdjointFunction>
{
    public override string Name => "DepthwiseAdjointConv3d";

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(vars);
        var input = (Tensor)vars[0];
        var weight = (Tensor)vars[1];
        var bias = vars[2] as Tensor;
        ctx.save_for_backward([input, weight]);
        ctx.save_data("bias", bias is not null);
        return Convolve(input, weight, bias);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad_output)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(grad_output);
        var saved = ctx.get_saved_variables();
        var (input, weight) = (saved[0], saved[1]);
        using var flipped = weight.flip(2, 3, 4);
        var inputGradient = Convolve(grad_output, flipped, null);

        Tensor weightGradient;
        if (DepthwiseWeightGradient.Supports(input) && DepthwiseWeightGradient.Supports(grad_output))
        {
            weightGradient = DepthwiseWeightGradient.Compute(input, grad_output, (int)weight.shape[2]);
        }
        else
        {
            using var gradientMode = enable_grad();
            using var detachedInput = input.detach();
            using var leaf = weight.detach().requires_grad_();
            using var recomputed = Convolve(detachedInput, leaf, null);
            weightGradient = grad([recomputed], [leaf], [grad_output])[0];
        }

        var biasGradient = (bool)ctx.get_data("bias") ? grad_output.sum([0, 2, 3, 4]) : null;
        input.Dispose();
        weight.Dispose();
        return [inputGradient, weightGradient, biasGradient!];
    }

    private static Tensor Convolve(Tensor input, Tensor weight, Tensor? bias)
    {
        var pad = weight.shape[2] / 2;
        return nn.functional.conv3d(input, weight, bias, padding: [pad, pad, pad], groups: input.shape[1]);
    }
}
