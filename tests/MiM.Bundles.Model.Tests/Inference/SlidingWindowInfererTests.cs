using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Inference;

[Collection(SerialTorchTests.Name)]
public sealed class SlidingWindowInfererTests
{
    [Fact]
    public void Gaussian_importance_follows_MONAI_formula_with_its_floor()
    {
        using var scope = NewDisposeScope();

        var map = SlidingWindowInferer.GaussianImportanceMap(16, 0.125);

        // σ = 2; x runs from −7.5 to 7.5; the product over the three axes; values below 1e-3 are lifted to 1e-3.
        double G(int i) => Math.Exp(-Math.Pow(i - 7.5, 2) / (2 * 2.0 * 2.0));
        Assert.Equal(new long[] { 16, 16, 16 }, map.shape);
        Assert.Equal(G(7) * G(8) * G(7), map[7, 8, 7].item<float>(), 1e-6);
        Assert.Equal(G(3) * G(12) * G(5), map[3, 12, 5].item<float>(), 1e-6);
        Assert.Equal(1e-3, map[0, 0, 0].item<float>(), 1e-9);
        Assert.Equal(Math.Max(G(0) * G(7) * G(7), 1e-3), map[0, 7, 7].item<float>(), 1e-6);
    }

    [Theory]
    [InlineData(80, 32, 0.5, new[] { 0, 16, 32, 48 })]
    [InlineData(70, 32, 0.5, new[] { 0, 16, 32, 38 })]
    [InlineData(32, 32, 0.5, new[] { 0 })]
    [InlineData(20, 32, 0.5, new[] { 0 })]
    [InlineData(96, 32, 0.0, new[] { 0, 32, 64 })]
    public void Window_starts_step_by_the_interval_and_end_flush(int size, int roi, double overlap, int[] expected) =>
        Assert.Equal(expected, SlidingWindowInferer.WindowStarts(size, roi, overlap));

    [Fact]
    public void One_window_covering_the_volume_equals_a_single_forward_pass()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(41);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        network.eval();
        var input = rand([1, 1, 32, 32, 32]);

        var blended = new SlidingWindowInferer(new SlidingWindowOptions(32)).Infer(input, network.forward);

        Assert.True(blended.allclose(network.forward(input), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void A_volume_smaller_than_the_window_is_padded_and_cropped_back()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(42);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 });
        network.eval();
        var input = rand([1, 1, 20, 32, 25]);

        var blended = new SlidingWindowInferer(new SlidingWindowOptions(32)).Infer(input, network.forward);

        // MONAI pads symmetrically: 12 → 6 before; 7 → 3 before, 4 after.
        var padded = nn.functional.pad(input, [3, 4, 0, 0, 6, 6]);
        var direct = network.forward(padded)[.., .., TensorIndex.Slice(6, 26), .., TensorIndex.Slice(3, 28)];
        Assert.Equal(new long[] { 1, 2, 20, 32, 25 }, blended.shape);
        Assert.True(blended.allclose(direct, rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void Overlapping_windows_of_a_pointwise_predictor_blend_back_to_the_predictor_on_the_whole_volume()
    {
        using var scope = NewDisposeScope();
        var input = rand([2, 1, 80, 70, 32]);
        var calls = 0;
        Tensor Predictor(Tensor x)
        {
            calls++;
            return cat([(x * 2) + 1, x.square()], 1);
        }

        var blended = new SlidingWindowInferer(new SlidingWindowOptions(32, Overlap: 0.5, BatchSize: 3)).Infer(input, Predictor);

        // 4 × 4 × 1 windows in batches of 3.
        Assert.Equal(6, calls);
        Assert.True(blended.allclose(Predictor(input), rtol: 1e-5, atol: 1e-5));
    }

    [Fact]
    public void The_window_batch_size_does_not_change_the_result()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(43);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 });
        network.eval();
        var input = rand([1, 1, 48, 32, 32]);

        var one = new SlidingWindowInferer(new SlidingWindowOptions(32, BatchSize: 1)).Infer(input, network.forward);
        var two = new SlidingWindowInferer(new SlidingWindowOptions(32, BatchSize: 2)).Infer(input, network.forward);

        Assert.True(one.allclose(two, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void The_predictor_gives_the_softmax_of_the_network_on_the_volume_grid()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(44);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        network.eval();
        var volume = rand([32, 32, 32]);

        var probabilities = new SegmentationPredictor(network, new SlidingWindowOptions(32)).Predict(volume);

        var expected = network.forward(volume.reshape(1, 1, 32, 32, 32))[0].softmax(0);
        Assert.Equal(new long[] { 3, 32, 32, 32 }, probabilities.shape);
        Assert.True(probabilities.allclose(expected, rtol: 1e-4, atol: 1e-6));
        Assert.True(probabilities.sum([0]).allclose(ones([32, 32, 32]), atol: 1e-5));
    }
}
