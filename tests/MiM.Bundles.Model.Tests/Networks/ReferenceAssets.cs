using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

/// <summary>Paths of the copied test assets and small tensor comparisons.</summary>
internal static class ReferenceAssets
{
    public static string Path(params string[] parts) =>
        System.IO.Path.Combine([AppContext.BaseDirectory, "Assets", .. parts]);

    public static string Reference(string file) => Path("mim_reference", file);

    public static Dictionary<string, Tensor> Read(string file) => new(MimWeights.ReadStateDict(Reference(file)));

    public static double MaxAbsDifference(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        using var difference = (actual.to(ScalarType.Float64) - expected.to(ScalarType.Float64)).abs().max();
        return difference.item<double>();
    }
}
