using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Downstream;

/// <summary>
/// One forward and backward of the whole unit segmentation network on a batch of 2 (dropout and drop-path off), in
/// float32 against a float64 copy with the same weights. On an AVX-512 AMD CPU, with libtorch's Conv3d, this gave NaN
/// gradients in backbone.patch_embed1 and pos_embed, and in encoder1's convs even with oneDNN capped at AVX2.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class NetworkGradientsAgainstFloat64Tests(ITestOutputHelper output)
{
    [Fact]
    public void Every_gradient_of_a_batch_of_two_equals_the_float64_network()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var network32 = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 });
        manual_seed(21);
        using var network64 = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 });
        network64.to(float64);
        using (no_grad())
        {
            var weights32 = network32.state_dict();
            foreach (var (name, tensor) in network64.state_dict())
            {
                tensor.copy_(weights32[name]);
            }
        }

        network32.eval();
        network64.eval();
        var generator = new Generator(5, device: CPU);
        var input = rand([2, 1, 32, 32, 32], dtype: float64, generator: generator);
        var upstream = randn([2, 2, 32, 32, 32], dtype: float64, generator: generator);

        network32.forward(input.to(float32)).mul(upstream.to(float32)).sum().backward();
        network64.forward(input).mul(upstream).sum().backward();

        var gradients64 = network64.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad);
        var worst = network32.named_parameters()
            .Where(p => p.parameter.grad is not null)
            .Select(p => (p.name, Error: RelativeError(p.parameter.grad!, gradients64[p.name]!)))
            .OrderByDescending(e => double.IsNaN(e.Error) ? double.PositiveInfinity : e.Error)
            .First();
        output.WriteLine($"worst relative gradient error: {worst.name} {worst.Error:E2}");
        // fp32 through ~20 layers including softmax attention and instance norms: measured worst 7.5e-5
        // (encoder1.conv3.weight) on the AVX-512 AMD machine; wrong kernels gave 0.1 to NaN. 1e-3 leaves 13× room.
        Assert.True(double.IsFinite(worst.Error) && worst.Error < 1e-3, $"{worst.name}: relative gradient error {worst.Error:E2}");
    }

    private static double RelativeError(Tensor value, Tensor reference)
    {
        var scale = reference.abs().max().item<double>();
        return (value.to(float64) - reference).abs().max().item<double>() / Math.Max(scale, 1e-30);
    }
}
