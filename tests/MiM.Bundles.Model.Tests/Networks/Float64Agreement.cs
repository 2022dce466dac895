using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

/// <summary>How a float32 fast path is held to the float64 layer-by-layer result it replaces.</summary>
internal static class Float64Agreement
{
    /// <summary>Same shape, and every value within <paramref name="fraction"/> of the reference's largest magnitude.</summary>
    public static void Within(Tensor actual, Tensor reference, double fraction)
    {
        Assert.Equal(reference.shape, actual.shape);
        var error = (actual.to(ScalarType.Float64) - reference).abs().max().item<double>();
        var scale = reference.abs().max().item<double>();
        Assert.True(error <= fraction * scale, $"largest difference {error:G3} against float64 (largest value {scale:G3})");
    }
}
