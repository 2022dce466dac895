using MiM.Bundles.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

[Collection(SerialTorchTests.Name)]
public sealed class ConvBlockTests
{
    [Theory]
    [InlineData(1, 5, false)] // 125 voxels: one short block
    [InlineData(2, 13, false)] // 4394 voxels: a whole block of 4096 and a short one
    [InlineData(2, 13, true)] // the same with a visible-token mask
    public void Inference_in_row_blocks_matches_the_layer_by_layer_block_in_float64(int batch, int size, bool masked)
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var block = NewBlock();
        // Channels-last, as the stages hand their maps on.
        var input = randn([batch, size, size, size, 8]).permute(0, 4, 1, 2, 3);
        var visible = masked ? (rand([batch, 1, size, size, size]) > 0.5).to(ScalarType.Float32) : null;

        Tensor blocked;
        using (no_grad())
        {
            blocked = block.forward(input, visible);
        }

        block.to(ScalarType.Float64);
        Tensor reference;
        using (no_grad())
        {
            reference = block.forward(input.to(ScalarType.Float64), visible?.to(ScalarType.Float64)); // float64 takes the layer-by-layer path
        }

        Float64Agreement.Within(blocked, reference, 1e-6);
    }

    [Fact]
    public void Inference_in_row_blocks_gives_what_the_training_path_gives_in_float32()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        using var block = NewBlock();
        var input = randn([1, 11, 11, 11, 8]).permute(0, 4, 1, 2, 3);
        var visible = (rand([1, 1, 11, 11, 11]) > 0.25).to(ScalarType.Float32);

        var trainingPath = block.forward(input, visible).detach(); // grad enabled: layer by layer
        Tensor blocked;
        using (no_grad())
        {
            blocked = block.forward(input, visible);
        }

        var error = (blocked - trainingPath).abs().max().item<float>();
        Assert.True(error <= 1e-5f, $"largest difference {error:G3}");
        Assert.Equal(1L, blocked.stride()[1]); // handed on channels-last, like the layer-by-layer block
    }

    // Norm weights and biases moved off 1 and 0, so leaving a norm out, or its affine part, shows.
    private static ConvBlock NewBlock()
    {
        var block = new ConvBlock(8, 4);
        using (no_grad())
        {
            foreach (var parameter in block.parameters())
            {
                parameter.add_(randn_like(parameter) * 0.3);
            }
        }

        return block;
    }
}
