using MiM.Bundles.Model.Networks.Convolution;
using MiM.Bundles.Model.Numerics;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Convolution;

/// <summary>
/// The depthwise weight-gradient kernel itself against libtorch's float64 loops, whatever path the start-up self-check
/// chose (a wrong kernel would only make the guard fall back to the explicit path, which the module tests would not show).
/// </summary>
public sealed class DepthwiseWeightGradientTests
{
    [Theory]
    [InlineData(1, 48, 20, 20, 20, 5, true)] // whole vectors of channels, channels-last: read in place
    [InlineData(2, 12, 9, 7, 8, 5, true)] // channels padded to whole vectors, odd sizes, two samples
    [InlineData(2, 24, 4, 4, 4, 5, false)] // rows narrower than the kernel, channels-first input
    [InlineData(1, 5, 6, 3, 11, 5, false)] // fewer channels than a vector
    [InlineData(2, 16, 7, 6, 9, 3, true)] // another kernel size: the general loop
    public void Weight_gradient_equals_float64(int batch, int channels, int depth, int height, int width, int kernel, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(17, device: CPU);
        var input64 = randn([batch, channels, depth, height, width], dtype: float64, generator: generator);
        var upstream64 = randn([batch, channels, depth, height, width], dtype: float64, generator: generator);
        var weight64 = randn([channels, 1, kernel, kernel, kernel], dtype: float64, generator: generator).requires_grad_();
        var output64 = nn.functional.conv3d(input64, weight64, null, padding: [kernel / 2, kernel / 2, kernel / 2], groups: channels);
        var expected = autograd.grad([output64], [weight64], [upstream64])[0];

        var input32 = input64.to(float32);
        var upstream32 = upstream64.to(float32);
        if (channelsLast)
        {
            input32 = input32.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
            upstream32 = upstream32.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
        }

        var actual = DepthwiseWeightGradient.Compute(input32, upstream32, kernel);

        Assert.Equal(expected.shape, actual.shape);
        var error = (actual.to(float64) - expected).abs().max().item<double>() / expected.abs().max().item<double>();
        Assert.True(error <= KernelCheck.Tolerance, $"relative error {error:E2} (tolerance {KernelCheck.Tolerance:E0})");
    }
}
