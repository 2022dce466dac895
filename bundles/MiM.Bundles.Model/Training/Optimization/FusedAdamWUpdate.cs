using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Optimization;

/// <summary>
/// AdamW's update of one float32 CPU parameter in a single pass over its four arrays (parameter, gradient, first and
/// second moments), the same arithmetic as <see cref="ScalarSafeAdamW"/>'s op-by-op update: p ← p·(1 − lr·wd);
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − (lr / c₁)·m / (√v / √c₂ + ε). The op-by-op form reads and writes
/// ~20 parameter-sized arrays per step (a temporary √v included), which for the full-size network's 71 M parameters
/// is most of AdamW's time; this reads four and writes three. Split across the intra-op threads.
/// </summary>
internal static class FusedAdamWUpdate
{
    private const int MinimumPerThread = 1 << 16;

    /// <summary>Whether the update can be fused for these tensors: float32, CPU, contiguous, same length.</summary>
    public static bool Supports(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment) =>
        ((Tensor[])[parameter, gradient, firstMoment, secondMoment]).All(t =>
            t.device_type == TorchSharp.DeviceType.CPU && t.dtype == ScalarType.Float32 && t.is_contiguous() && t.numel() == parameter.numel());

    // The order of operations is libtorch's (mul_, add_ with alpha, addcmul_ as value·t1·t2, sqrt, div_, add_,
    // addcdiv_ as value·(t1/t2)), each rounded to float32; libtorch's vector kernels may fuse a multiply-add where
    // this does not, so the two agree to a few ulps, not bit for bit (tests compare both with float64).
    /// <summary>Applies one update in place to <paramref name="parameter"/>, <paramref name="firstMoment"/> and <paramref name="secondMoment"/>.</summary>
    public static void Apply(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment, AdamWCoefficients coefficients)
    {
        var length = (int)parameter.numel();
        var (p, g, m, v) = (Pointer(parameter), Pointer(gradient), Pointer(firstMoment), Pointer(secondMoment));
        var parts = Math.Clamp(length / MinimumPerThread, 1, Math.Max(1, get_num_threads()));
        if (parts == 1)
        {
            Update(p, g, m, v, 0, length, coefficients);
            return;
        }

        System.Threading.Tasks.Parallel.For(0, parts, part =>
        {
            // Whole vectors per part, so that every part but the last runs without a scalar tail.
            var chunk = (length / parts) / 64 * 64;
            var start = part * chunk;
            Update(p, g, m, v, start, part == parts - 1 ? length : start + chunk, coefficients);
        });
    }

    // Native memory (libtorch's), not the managed heap: the address stays valid while the tensor lives.
    private static unsafe nint Pointer(Tensor tensor) => (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(tensor.bytes));

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void Update(nint parameter, nint gradient, nint firstMoment, nint secondMoment, int start, int end, AdamWCoefficients k)
    {
        var p = new Span<float>((float*)parameter + start, end - start);
        var g = new ReadOnlySpan<float>((float*)gradient + start, end - start);
        var m = new Span<float>((float*)firstMoment + start, end - start);
        var v = new Span<float>((float*)secondMoment + start, end - start);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var (decay, beta1, weight1, beta2, weight2) = (new Vector<float>(k.Decay), new Vector<float>(k.Beta1), new Vector<float>(k.FirstWeight), new Vector<float>(k.Beta2), new Vector<float>(k.SecondWeight));
            var (secondScale, epsilon, stepSize) = (new Vector<float>(k.SecondScale), new Vector<float>(k.Epsilon), new Vector<float>(k.StepSize));
            var pv = MemoryMarshal.Cast<float, Vector<float>>(p);
            var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
            var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
            var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
            for (var n = 0; n < pv.Length; n++)
            {
                var gradientValue = gv[n];
                var first = (mv[n] * beta1) + (gradientValue * weight1);
                var second = (vv[n] * beta2) + (weight2 * gradientValue * gradientValue);
                mv[n] = first;
                vv[n] = second;
                pv[n] = (pv[n] * decay) + (stepSize * (first / ((Vector.SquareRoot(second) / secondScale) + epsilon)));
            }

            i = pv.Length * Vector<float>.Count;
        }

        for (; i < p.Length; i++)
        {
            var first = (m[i] * k.Beta1) + (g[i] * k.FirstWeight);
            var second = (v[i] * k.Beta2) + (k.SecondWeight * g[i] * g[i]);
            m[i] = first;
            v[i] = second;
            p[i] = (p[i] * k.Decay) + (k.StepSize * (first / ((MathF.Sqrt(second) / k.SecondScale) + k.Epsilon)));
        }
    }
}

/// <summary>One step's AdamW coefficients for one parameter group, as float32 (the tensors' type, as libtorch casts them).</summary>
internal readonly record struct AdamWCoefficients(float Decay, float Beta1, float FirstWeight, float Beta2, float SecondWeight, float SecondScale, float Epsilon, float StepSize);
