using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Downstream;

[Collection(SerialTorchTests.Name)]
public sealed class InstanceNormTests
{
    [Fact]
    public void Instance_norm_standardises_each_channel_over_space_and_passes_a_single_voxel_unchanged()
    {
        using var scope = NewDisposeScope();
        var x = (rand([2, 3, 4, 5, 6]) * 7) + 2;
        var single = rand([2, 3, 1, 1, 1]);

        var normed = InstanceNorm.Apply(x);

        var mean = x.mean([2, 3, 4], keepdim: true);
        var variance = x.var([2, 3, 4], unbiased: false, keepdim: true);
        Assert.True(normed.allclose((x - mean) / (variance + 1e-5).sqrt(), rtol: 1e-4, atol: 1e-5));
        Assert.True(InstanceNorm.Apply(single).equal(single).all().item<bool>());
    }

    [Theory]
    [InlineData(1, 48, 32)]
    [InlineData(2, 12, 20)]
    public void A_channels_last_map_without_autograd_is_normalised_in_its_layout_as_accurately_as_libtorch(int batch, int channels, int edge)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(3, device: CPU);
        // Offset and scale like a convolution's output, where a one-pass variance would lose digits.
        var channelsLast = ((randn([batch, edge, edge, edge, channels], generator: generator) * 3) + 5).permute(0, 4, 1, 2, 3);
        var reference = nn.functional.instance_norm(channelsLast.to(float64), eps: 1e-5);

        Tensor ours;
        Tensor libtorch;
        using (no_grad())
        {
            ours = InstanceNorm.Apply(channelsLast);
            libtorch = nn.functional.instance_norm(channelsLast, eps: 1e-5);
        }

        Assert.True(ours.permute(0, 2, 3, 4, 1).is_contiguous(), "the result should stay channels-last");
        var ourError = (ours.to(float64) - reference).abs().max().item<double>();
        var libtorchError = (libtorch.to(float64) - reference).abs().max().item<double>();
        Assert.True(ourError <= Math.Max(2 * libtorchError, 1e-6), $"max error {ourError:E2} against float64; libtorch's own {libtorchError:E2}");
    }

    [Fact]
    public void With_autograd_the_norm_is_libtorchs_and_passes_gradients()
    {
        using var scope = NewDisposeScope();
        var input = randn([1, 6, 5, 5, 5]).permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3).requires_grad_();

        InstanceNorm.Apply(input).mul(randn([1, 6, 5, 5, 5])).sum().backward();

        Assert.NotNull(input.grad);
        Assert.True(input.grad.abs().sum().item<float>() > 0);
    }
}
