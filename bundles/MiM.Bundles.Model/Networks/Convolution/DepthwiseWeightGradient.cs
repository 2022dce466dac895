using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Convolution;

/// <summary>
/// The weight gradient of a depthwise k³ convolution (stride 1, padding k/2) on float32 CPU tensors, computed here:
/// dW[c, a, b, e] = Σ over n, d, h, w of X[n, c, d+a−p, h+b−p, w+e−p] · G[n, c, d, h, w] (zero outside X). libtorch's
/// weight-only backward (after a recomputed forward) took 150–250 ms at the full-size stage 1 (48 channels at 48³) for
/// 1.3 GFLOP, this kernel 25–100 ms on the shared 2-core VM. It keeps rows of G and X in cache, vectorises over the
/// channels (channels-last, as the networks hand the maps on), sums each output depth plane in float32 and the planes
/// in float64.
/// </summary>
internal static class DepthwiseWeightGradient
{
    /// <summary>Whether <see cref="Compute"/> takes tensors of this dtype and device.</summary>
    public static bool Supports(Tensor input) => input.device_type == TorchSharp.DeviceType.CPU && input.dtype == ScalarType.Float32;

    /// <summary>dW [C, 1, k, k, k] for input X and output gradient G, both [N, C, D, H, W] (any memory format).</summary>
    public static Tensor Compute(Tensor input, Tensor gradOutput, int kernel)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(gradOutput);
        using var scope = NewDisposeScope();
        var (n, channels) = ((int)input.shape[0], (int)input.shape[1]);
        var (d, h, w) = ((int)input.shape[2], (int)input.shape[3], (int)input.shape[4]);

        // Channels-last rows [N, D, H, W, C'], the channels zero-padded to whole vectors: no copy for the networks'
        // channels-last maps of 8·m channels; the borders are handled in the loops, so the input is not padded.
        var lanes = Vector.IsHardwareAccelerated ? Vector<float>.Count : 1;
        var c = (channels + lanes - 1) / lanes * lanes;
        var x = ChannelsLast(input, c - channels);
        var g = ChannelsLast(gradOutput, c - channels);
        var shape = new Shape(n, c, d, h, w, kernel);

        var taps = kernel * kernel * kernel;
        var total = new double[taps * c];
        var gate = new object();
        unsafe
        {
            fixed (float* xp = MemoryMarshal.Cast<byte, float>(x.bytes), gp = MemoryMarshal.Cast<byte, float>(g.bytes))
            {
                var (xAddress, gAddress) = ((nint)xp, (nint)gp);
                Parallel.For(
                    0,
                    n * d,
                    () => new Partial(taps * c),
                    (plane, _, partial) =>
                    {
                        AccumulatePlane((float*)xAddress, (float*)gAddress, shape, plane / d, plane % d, partial);
                        return partial;
                    },
                    partial =>
                    {
                        lock (gate)
                        {
                            for (var i = 0; i < total.Length; i++)
                            {
                                total[i] += partial.Sums[i];
                            }
                        }
                    });
            }
        }

        // [k, k, k, C'] → [C, 1, k, k, k].
        var result = tensor(Array.ConvertAll(total, v => (float)v), [kernel, kernel, kernel, c])[.., .., .., ..channels]
            .permute(3, 0, 1, 2).unsqueeze(1).contiguous();
        return result.MoveToOuterDisposeScope();
    }

    private static Tensor ChannelsLast(Tensor map, int extraChannels)
    {
        var rows = map.detach().permute(0, 2, 3, 4, 1);
        return extraChannels == 0 ? rows.contiguous() : nn.functional.pad(rows, [0, extraChannels]).contiguous();
    }

    /// <summary>One output depth plane's contribution, summed in float32 over the plane, then added in float64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // vector loops: no slow tier-0 first calls
    private static unsafe void AccumulatePlane(float* x, float* g, Shape s, int sample, int depth, Partial partial)
    {
        var (c, k, pad) = (s.C, s.K, s.K / 2);
        var plane = partial.Plane;
        Array.Clear(plane);
        fixed (float* sums = plane)
        {
            for (var row = 0; row < s.H; row++)
            {
                var gRow = g + ((((((long)sample * s.D) + depth) * s.H) + row) * s.W * c);
                for (var a = 0; a < k; a++)
                {
                    var inputDepth = depth + a - pad;
                    for (var b = 0; b < k; b++)
                    {
                        var inputRow = row + b - pad;
                        if (inputDepth < 0 || inputDepth >= s.D || inputRow < 0 || inputRow >= s.H)
                        {
                            continue; // the zero padding
                        }

                        var xRow = x + ((((((long)sample * s.D) + inputDepth) * s.H) + inputRow) * s.W * c);
                        CorrelateRow(xRow, gRow, s.W, c, k, sums + (((a * k) + b) * k * c));
                    }
                }
            }
        }

        for (var i = 0; i < plane.Length; i++)
        {
            partial.Sums[i] += plane[i];
        }
    }

    /// <summary>
    /// sums[e, c] += Σ_w xRow[w + e − k/2, c] · gRow[w, c] for e &lt; k (zero outside the row): one row of G against k
    /// shifts of a row of X.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void CorrelateRow(float* xRow, float* gRow, int width, int c, int k, float* sums)
    {
        var pad = k / 2;
        var lanes = Vector.IsHardwareAccelerated ? Vector<float>.Count : 1;

        // Where every shift stays inside the row, the network's k = 5 keeps five accumulators in registers and loads
        // each G vector once; the rest (the row's ends, other k, no vector unit) checks each shift.
        var (inner, innerEnd) = (pad, Math.Max(pad, width - pad));
        if (k == 5 && lanes > 1)
        {
            for (var j = 0; j < c; j += lanes)
            {
                var (s0, s1, s2, s3, s4) = (Load(sums + j), Load(sums + c + j), Load(sums + (2 * c) + j), Load(sums + (3 * c) + j), Load(sums + (4 * c) + j));
                for (var w = inner; w < innerEnd; w++)
                {
                    var gv = Load(gRow + ((long)w * c) + j);
                    var xw = xRow + ((long)(w - pad) * c) + j;
                    s0 = Vector.FusedMultiplyAdd(Load(xw), gv, s0);
                    s1 = Vector.FusedMultiplyAdd(Load(xw + c), gv, s1);
                    s2 = Vector.FusedMultiplyAdd(Load(xw + (2 * c)), gv, s2);
                    s3 = Vector.FusedMultiplyAdd(Load(xw + (3 * c)), gv, s3);
                    s4 = Vector.FusedMultiplyAdd(Load(xw + (4 * c)), gv, s4);
                }

                s0.Store(sums + j);
                s1.Store(sums + c + j);
                s2.Store(sums + (2 * c) + j);
                s3.Store(sums + (3 * c) + j);
                s4.Store(sums + (4 * c) + j);
            }

            CorrelateRange(xRow, gRow, width, c, k, sums, 0, Math.Min(pad, width));
            CorrelateRange(xRow, gRow, width, c, k, sums, innerEnd, width);
            return;
        }

        CorrelateRange(xRow, gRow, width, c, k, sums, 0, width);
    }

    /// <summary>The terms of <see cref="CorrelateRow"/> for output positions [first, end), each shift checked.</summary>
    private static unsafe void CorrelateRange(float* xRow, float* gRow, int width, int c, int k, float* sums, int first, int end)
    {
        var pad = k / 2;
        for (var w = first; w < end; w++)
        {
            for (var e = 0; e < k; e++)
            {
                var at = w + e - pad;
                if (at < 0 || at >= width)
                {
                    continue;
                }

                var xs = xRow + ((long)at * c);
                var gs = gRow + ((long)w * c);
                var target = sums + (e * c);
                var j = 0;
                if (Vector.IsHardwareAccelerated)
                {
                    for (; j + Vector<float>.Count <= c; j += Vector<float>.Count)
                    {
                        Vector.FusedMultiplyAdd(Load(xs + j), Load(gs + j), Load(target + j)).Store(target + j);
                    }
                }

                for (; j < c; j++)
                {
                    target[j] = MathF.FusedMultiplyAdd(xs[j], gs[j], target[j]);
                }
            }
        }
    }

    private static unsafe Vector<float> Load(float* address) => Vector.Load(address);

    private readonly record struct Shape(int N, int C, int D, int H, int W, int K);

    /// <summary>One thread's gradient so far (float64) and its current plane's (float32).</summary>
    private sealed class Partial(int length)
    {
        public double[] Sums { get; } = new double[length];

        public float[] Plane { get; } = new float[length];
    }
}
