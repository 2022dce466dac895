using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// A full k³ convolution (stride 1, padding k/2) computed as matrix products over an im2col of the input, a few depth
/// slices at a time: every output voxel's k³ neighbourhood (channels-last, zero padded) becomes one row, and one matrix
/// product with the kernel as [k³·Cin, Cout] gives the slab's outputs. The input gradient is the same correlation of the
/// output gradient with the kernel transposed and flipped; the weight gradient is the sum over slabs of the rows'
/// transpose times the output gradient. Only the input is kept for the backward pass, and no convolution kernel of
/// libtorch runs. Arguments to <c>apply</c>: input, weight [Cout, Cin, k, k, k], bias [Cout] or null.
/// </summary>
/// <remarks>
/// One product per slab instead of one per tap (k³ products with only Cin as their inner dimension) runs the matrix
/// unit far closer to its peak: 48→48 at 96³ 1.4–2.0 s → ~1.1 s, 96→48 2.6–2.9 s → ~2.0 s (bench/README.md,
/// issue 15). The slab is bounded (<see cref="RowsPerSlab"/> rows), so the k³-times copy of the whole input never
/// exists.
/// </remarks>
internal sealed class DenseTapsFunction : SingleTensorFunction<DenseTapsFunction>
{
    /// <summary>
    /// Rows per im2col slab (at least one depth slice): ~9k rows of k³·Cin values is ~48 MB at 48 channels, ~96 MB at
    /// 96, large enough for the matrix products to run at speed and small enough to stay a small part of a window's
    /// memory.
    /// </summary>
    private const long RowsPerSlab = 9216;

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

    /// <summary>The convolution: [N, Cin, D, H, W] → [N, Cout, D, H, W] (channels-last underneath), one matrix product per slab.</summary>
    internal static Tensor Correlate(Tensor input, Tensor weight, Tensor? bias)
    {
        using var scope = NewDisposeScope();
        var (n, d, h, w) = (input.shape[0], input.shape[2], input.shape[3], input.shape[4]);
        var outChannels = weight.shape[0];
        var kernel = KernelMatrix(weight);                                              // [k³·Cin, Cout]
        var result = empty([n, d, h, w, outChannels], dtype: input.dtype, device: input.device);
        foreach (var slab in Slabs(input, weight.shape[2]))
        {
            using var rows = result[slab.Sample].narrow(0, slab.First, slab.Depth).view(-1, outChannels);
            if (bias is null)
            {
                rows.addmm_(slab.Columns, kernel, beta: 0, alpha: 1);
            }
            else
            {
                rows.copy_(bias.expand_as(rows)).addmm_(slab.Columns, kernel, beta: 1, alpha: 1);
            }
        }

        return result.permute(0, 4, 1, 2, 3).MoveToOuterDisposeScope();
    }

    private static Tensor WeightGradient(Tensor input, Tensor gradOutput, Tensor weight)
    {
        using var scope = NewDisposeScope();
        var (k, inChannels, outChannels) = (weight.shape[2], weight.shape[1], weight.shape[0]);
        var gradients = gradOutput.permute(0, 2, 3, 4, 1).contiguous();                 // [N, D, H, W, Cout]
        var sum = zeros([k * k * k * inChannels, outChannels], dtype: weight.dtype, device: weight.device);
        foreach (var slab in Slabs(input, k))
        {
            using var rows = gradients[slab.Sample].narrow(0, slab.First, slab.Depth).view(-1, outChannels);
            using var columnsT = slab.Columns.t();
            sum.addmm_(columnsT, rows, beta: 1, alpha: 1);
        }

        return sum.view(k, k, k, inChannels, outChannels).permute(4, 3, 0, 1, 2).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>The kernel as a matrix whose rows follow the im2col's column order (kd, kh, kw, Cin).</summary>
    private static Tensor KernelMatrix(Tensor weight) =>
        weight.permute(2, 3, 4, 1, 0).reshape(-1, weight.shape[0]);

    /// <summary>
    /// The im2col of <paramref name="input"/>, slab by slab: for each sample and each run of depth slices, a
    /// [slices·H·W, k³·Cin] matrix (row = output voxel, columns = its zero-padded neighbourhood as kd, kh, kw, Cin).
    /// One buffer serves every slab, so the matrix is valid only until the next one is produced. The k taps along the
    /// last axis are one contiguous run of k·Cin values in the padded channels-last input, so each slab is k² copies.
    /// </summary>
    private static IEnumerable<Slab> Slabs(Tensor input, long k)
    {
        var pad = k / 2;
        long n = input.shape[0], c = input.shape[1], d = input.shape[2], h = input.shape[3], w = input.shape[4];
        using var channelsLast = input.permute(0, 2, 3, 4, 1);
        using var padded = nn.functional.pad(channelsLast, [0, 0, pad, pad, pad, pad, pad, pad]).contiguous();
        var depth = Math.Clamp(RowsPerSlab / (h * w), 1, d);
        using var buffer = empty([depth, h, w, k, k, k * c], dtype: input.dtype, device: input.device);
        var (strideZ, strideY, strideX) = (padded.stride(1), padded.stride(2), padded.stride(3));
        for (var sample = 0L; sample < n; sample++)
        {
            for (var first = 0L; first < d; first += depth)
            {
                var slices = Math.Min(depth, d - first);
                using var target = buffer.narrow(0, 0, slices);
                for (var a = 0L; a < k; a++)
                {
                    for (var b = 0L; b < k; b++)
                    {
                        var offset = padded.storage_offset() + (sample * padded.stride(0)) + ((first + a) * strideZ) + (b * strideY);
                        using var neighbours = padded.as_strided([slices, h, w, k * c], [strideZ, strideY, strideX, 1], offset);
                        using var cell = target.select(3, a).select(3, b);
                        cell.copy_(neighbours);
                    }
                }

                using var columns = target.view(-1, k * k * k * c);
                yield return new Slab(sample, first, slices, columns);
            }
        }
    }

    private readonly record struct Slab(long Sample, long First, long Depth, Tensor Columns);
}
