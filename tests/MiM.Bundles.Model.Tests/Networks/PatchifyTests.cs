using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

public sealed class PatchifyTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void FromTokens_inverts_ToTokens_exactly(int channels)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var volumes = rand([2, channels, 32, 32, 32]);

        var tokens = Patchify.ToTokens(volumes);
        var back = Patchify.FromTokens(tokens, channels, gridSize: 2);

        Assert.Equal(new long[] { 2, 8, 4096 * channels }, tokens.shape);
        Assert.Equal(volumes.data<float>().ToArray(), back.data<float>().ToArray());
    }

    [Fact]
    public void Token_t_holds_the_cube_at_unravelled_h_w_d_in_row_major_voxel_order()
    {
        using var scope = NewDisposeScope();
        const int grid = 3;
        var volume = arange(48 * 48 * 48, ScalarType.Float32).reshape(1, 1, 48, 48, 48);

        var tokens = Patchify.ToTokens(volume);

        for (var t = 0; t < grid * grid * grid; t++)
        {
            var (h, w, d) = (t / (grid * grid), t / grid % grid, t % grid);
            var cube = volume[0, 0, (h * 16)..((h + 1) * 16), (w * 16)..((w + 1) * 16), (d * 16)..((d + 1) * 16)].reshape(-1);
            Assert.Equal(cube.data<float>().ToArray(), tokens[0, t].data<float>().ToArray());
        }
    }

    [Fact]
    public void ToTokens_rejects_sizes_that_are_not_multiples_of_the_token_size()
    {
        using var volume = zeros([1, 1, 40, 32, 32]);
        Assert.Throws<ArgumentException>(() => Patchify.ToTokens(volume));
    }
}
