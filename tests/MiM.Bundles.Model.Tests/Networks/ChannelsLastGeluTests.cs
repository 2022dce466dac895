using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

[Collection(SerialTorchTests.Name)]
public sealed class ChannelsLastGeluTests
{
    [Fact]
    public void A_channels_last_map_gets_libtorchs_gelu_values_and_gradients_and_keeps_its_layout()
    {
        using var scope = NewDisposeScope();
        manual_seed(8);
        var values = randn([2, 5, 6, 7, 12]) * 3; // [N, D, H, W, C] in memory
        var input = values.permute(0, 4, 1, 2, 3).detach().requires_grad_(); // channels-last [N, C, D, H, W]
        var reference = values.permute(0, 4, 1, 2, 3).contiguous().detach().requires_grad_();
        var upstream = randn([2, 12, 5, 6, 7]);

        var output = ChannelsLastGelu.Apply(input);
        var expected = nn.functional.gelu(reference);
        output.backward([upstream]);
        expected.backward([upstream]);

        Assert.Equal(expected.shape, output.shape);
        Assert.Equal(input.stride(), output.stride());
        Assert.Equal(0f, (output - expected).abs().max().item<float>());
        Assert.Equal(0f, (input.grad! - reference.grad!).abs().max().item<float>());
    }

    [Fact]
    public void Any_other_layout_gets_libtorchs_gelu_as_is()
    {
        using var scope = NewDisposeScope();
        manual_seed(9);
        var contiguous = randn([1, 3, 4, 4, 4]);
        var strided = randn([1, 3, 8, 4, 4]).narrow(2, 0, 4);

        Assert.Equal(0f, (ChannelsLastGelu.Apply(contiguous) - nn.functional.gelu(contiguous)).abs().max().item<float>());
        Assert.Equal(0f, (ChannelsLastGelu.Apply(strided) - nn.functional.gelu(strided)).abs().max().item<float>());
    }
}
