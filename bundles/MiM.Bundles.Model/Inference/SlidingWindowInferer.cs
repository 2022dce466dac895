using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// MONAI-style sliding-window inference: the volume is zero-padded (symmetrically) to at least one window, covered by
/// Roi³ windows whose starts step by ⌊Roi·(1 − overlap)⌋ (the last one flush with the far edge), the predictor runs on
/// <see cref="SlidingWindowOptions.BatchSize"/> windows at a time, and the outputs are blended with a Gaussian
/// importance map (σ = sigma_scale·Roi) and cropped back to the input's grid.
/// </summary>
public sealed class SlidingWindowInferer
{
    private readonly SlidingWindowOptions _options;

    /// <summary>An inferer with <paramref name="options"/>.</summary>
    public SlidingWindowInferer(SlidingWindowOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>
    /// MONAI's Gaussian importance map: ∏ₐ exp(−xₐ² / (2σ²)), xₐ ∈ {−(r−1)/2, …, (r−1)/2}, σ = sigma_scale·r,
    /// clamped below at max(its minimum, 1e-3) so no weight is zero. [r, r, r] float32.
    /// </summary>
    public static Tensor GaussianImportanceMap(int roi, double sigmaScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(roi);
        var sigma = roi * sigmaScale;
        var values = new float[roi];
        for (var i = 0; i < roi; i++)
        {
            var x = i - ((roi - 1) / 2.0);
            values[i] = (float)Math.Exp(x * x / (-2 * sigma * sigma));
        }

        using var axis = tensor(values);
        using var map = axis.view(roi, 1, 1) * axis.view(1, roi, 1) * axis.view(1, 1, roi);
        using var floor = Math.Max(map.min().item<float>(), 1e-3f).ToScalar();
        return map.clamp_min(floor);
    }

    /// <summary>
    /// Window starts along one axis of length <paramref name="size"/> (≥ <paramref name="roi"/>): multiples of the
    /// interval until a window reaches the end, the last shifted back to end flush (MONAI's dense_patch_slices).
    /// </summary>
    public static IReadOnlyList<int> WindowStarts(int size, int roi, double overlap)
    {
        if (size <= roi)
        {
            return [0];
        }

        var interval = Math.Max((int)(roi * (1 - overlap)), 1);
        var starts = new List<int>();
        for (var start = 0; ; start += interval)
        {
            starts.Add(Math.Min(start, size - roi));
            if (start + roi >= size)
            {
                return starts;
            }
        }
    }

    /// <summary>The blended predictor output over the whole input, on the input's device and grid.</summary>
    /// <param name="input">[N, C, H, W, D] (any size; smaller than the window is padded with zeros).</param>
    /// <param name="predictor">Maps [b, C, r, r, r] windows to [b, K, r, r, r] outputs (it moves them to its device).</param>
    /// <returns>[N, K, H, W, D] float32.</returns>
    public Tensor Infer(Tensor input, Func<Tensor, Tensor> predictor)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(predictor);
        if (input.dim() != 5)
        {
            throw new ArgumentException($"Expected [N, C, H, W, D], got [{string.Join(",", input.shape)}].", nameof(input));
        }

        try
        {
            return Blend(input, predictor);
        }
        finally
        {
            // The windows' activations are free now; where freed tensor memory is kept for reuse, the kernel gets it
            // back, so a host holds one pass's peak only while a pass runs.
            TensorPages.Release();
        }
    }

    private Tensor Blend(Tensor input, Func<Tensor, Tensor> predictor)
    {
        var roi = _options.Roi;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var size = new[] { (int)input.shape[2], (int)input.shape[3], (int)input.shape[4] };
        var before = size.Select(s => Math.Max(roi - s, 0) / 2).ToArray();
        var after = size.Select((s, a) => Math.Max(roi - s, 0) - before[a]).ToArray();
        var padded = before.Concat(after).Any(p => p > 0)
            ? nn.functional.pad(input, [before[2], after[2], before[1], after[1], before[0], after[0]])
            : input;
        var paddedSize = new[] { (int)padded.shape[2], (int)padded.shape[3], (int)padded.shape[4] };
        var starts = paddedSize.Select(s => WindowStarts(s, roi, _options.Overlap)).ToArray();
        var windows = (from a in starts[0] from b in starts[1] from c in starts[2] select (a, b, c)).ToList();
        var importance = GaussianImportanceMap(roi, _options.SigmaScale).to(input.device);

        Tensor? output = null;
        var weight = zeros([1, 1, paddedSize[0], paddedSize[1], paddedSize[2]], device: input.device);
        foreach (var (a, b, c) in windows)
        {
            using var view = weight[.., .., Window(a), Window(b), Window(c)];
            view.add_(importance, CachedScalars.One);
        }

        var n = input.shape[0];
        for (var first = 0; first < windows.Count; first += _options.BatchSize)
        {
            using var batchScope = NewDisposeScope();
            var batch = windows.Skip(first).Take(_options.BatchSize).ToList();

            // Every sample of the input goes through the same windows; stack (window, sample) pairs into one batch.
            var crops = cat(batch.Select(w => padded[.., .., Window(w.a), Window(w.b), Window(w.c)]).ToArray(), 0);
            var predicted = predictor(crops).to(float32).to(input.device);
            if (output is null)
            {
                output = zeros([n, predicted.shape[1], paddedSize[0], paddedSize[1], paddedSize[2]], device: input.device)
                    .MoveToOuterDisposeScope();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                var (a, b, c) = batch[i];
                output[.., .., Window(a), Window(b), Window(c)].add_(predicted[TensorIndex.Slice(i * n, (i + 1) * n)] * importance, CachedScalars.One);
            }
        }

        // In place: at 256×256×160 with 14 classes every extra copy of the output is 0.6 GB.
        var blended = output!.div_(weight);
        if (before.Concat(after).All(p => p == 0))
        {
            return blended.MoveToOuterDisposeScope();
        }

        var cropped = blended[
            .., ..,
            TensorIndex.Slice(before[0], before[0] + size[0]),
            TensorIndex.Slice(before[1], before[1] + size[1]),
            TensorIndex.Slice(before[2], before[2] + size[2])].contiguous();
        return cropped.MoveToOuterDisposeScope();

        TensorIndex Window(int start) => TensorIndex.Slice(start, start + roi);
    }
}
