using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

public sealed class SinCosPositionEmbeddingTests
{
    [Theory]
    [InlineData(48, 4)]
    [InlineData(384, 6)]
    [InlineData(96, 2)]
    public void Create3D_equals_the_closed_form_sin_cos_per_axis(int dim, int grid)
    {
        using var embedding = SinCosPositionEmbedding.Create3D(dim, grid);
        Assert.Equal(new long[] { 1, grid * grid * grid, dim }, embedding.shape);
        Assert.Equal(ScalarType.Float32, embedding.dtype);
        var actual = embedding.data<float>().ToArray();

        var perAxis = dim / 3;
        var half = perAxis / 2;
        var worst = 0.0;
        for (var h = 0; h < grid; h++)
        {
            for (var w = 0; w < grid; w++)
            {
                for (var d = 0; d < grid; d++)
                {
                    var token = (h * grid * grid) + (w * grid) + d;
                    int[] coordinates = [h, w, d];
                    for (var channel = 0; channel < dim; channel++)
                    {
                        var axis = channel / perAxis;
                        var within = channel % perAxis;
                        var k = within % half;
                        var angle = coordinates[axis] / Math.Pow(10000.0, k / (double)half);
                        var expected = within < half ? Math.Sin(angle) : Math.Cos(angle);
                        worst = Math.Max(worst, Math.Abs(expected - actual[(token * dim) + channel]));
                    }
                }
            }
        }

        Assert.True(worst < 1e-6, $"max deviation {worst:E2}");
    }

    [Fact]
    public void Create3D_rejects_a_width_not_divisible_by_6()
    {
        Assert.Throws<ArgumentException>(() => SinCosPositionEmbedding.Create3D(40, 2));
    }
}
