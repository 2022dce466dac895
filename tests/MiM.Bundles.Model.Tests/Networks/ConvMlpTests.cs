using MiM.Bundles.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

[Collection(SerialTorchTests.Name)]
public sealed class ConvMlpTests
{
    [Theory]
    [InlineData(1, 5)] // 125 voxels: one short block
    [InlineData(2, 13)] // 4394 voxels: a whole block of 4096 and a short one
    public void Inference_in_row_blocks_matches_the_layer_by_layer_mlp_in_float64(int batch, int size)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var mlp = new ConvMlp(8, 32);
        // Channels-last, as the conv blocks hand their maps on; values large enough that GELU's curve matters.
        var input = (randn([batch, size, size, size, 8]) * 2).permute(0, 4, 1, 2, 3);

        Tensor blocked;
        using (no_grad())
        {
            blocked = mlp.forward(input);
        }

        mlp.to(ScalarType.Float64);
        Tensor reference;
        using (no_grad())
        {
            reference = mlp.forward(input.to(ScalarType.Float64)); // float64 takes the layer-by-layer path
        }

        Float64Agreement.Within(blocked, reference, 1e-6);
    }

    [Fact]
    public void Inference_in_row_blocks_gives_what_the_training_path_gives_in_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var mlp = new ConvMlp(8, 32);
        var input = randn([1, 11, 11, 11, 8]).permute(0, 4, 1, 2, 3);

        var trainingPath = mlp.forward(input).detach(); // grad enabled: fc1, GELU, fc2 as layers
        Tensor blocked;
        using (no_grad())
        {
            blocked = mlp.forward(input);
        }

        Assert.True(trainingPath.requires_grad is false);
        var error = (blocked - trainingPath).abs().max().item<float>();
        Assert.True(error <= 1e-5f, $"largest difference {error:G3}");
    }
}
