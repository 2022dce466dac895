using MiM.Bundles.Model.Losses;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Losses;

public class ByolDistanceTests
{
    [Fact]
    public void Distance_is_zero_for_equal_vectors_whatever_their_length()
    {
        using var a = tensor(new float[] { 1, 2, 3, -4 });
        using var d = ByolDistance.Compute(a, a * 7);
        Assert.Equal(0, d.item<float>(), 5);
    }

    [Fact]
    public void Distance_is_four_for_opposite_vectors()
    {
        using var a = tensor(new float[] { 1, 2, 3, -4 });
        using var d = ByolDistance.Compute(a, -a * 0.5f);
        Assert.Equal(4, d.item<float>(), 5);
    }

    [Fact]
    public void Distance_is_two_for_orthogonal_vectors_row_by_row()
    {
        using var a = tensor(new float[] { 1, 0, 0, 1 }, [2, 2]);
        using var b = tensor(new float[] { 0, 1, 0, 1 }, [2, 2]);
        using var d = ByolDistance.Compute(a, b);
        var values = d.data<float>().ToArray();
        Assert.Equal(2f, values[0], 5);
        Assert.Equal(0f, values[1], 5);
    }
}
