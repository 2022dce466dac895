using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Downstream;

[Collection(SerialTorchTests.Name)]
public sealed class MimSegmentationNetworkTests
{
    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void Logits_have_the_input_grid_and_one_channel_per_class(int roi)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(11);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3, Roi = roi });
        network.eval();

        var logits = network.forward(rand([roi == 32 ? 2 : 1, 1, roi, roi, roi]));

        Assert.Equal(new long[] { roi == 32 ? 2 : 1, 3, roi, roi, roi }, logits.shape);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    public void Each_sample_of_a_batch_gets_the_logits_it_gets_alone(int roi)
    {
        // On an AVX-512 AMD CPU libtorch's Conv3d made batch-of-2 outputs differ from single-sample ones by 0.22–0.60
        // (encoder3's 3³ conv); only fp32 summation order may differ now. The logits are O(1) and every value is a sum
        // of at most a few thousand fp32 products through ~20 layers: 1e-4 absolute leaves room for that rounding and
        // none for a wrong kernel.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(13);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3, Roi = roi });
        network.eval();
        var batch = rand([2, 1, roi, roi, roi]);

        var together = network.forward(batch);
        var first = network.forward(batch[..1]);
        var second = network.forward(batch[1..]);

        var difference = Math.Max((together[..1] - first).abs().max().item<float>(), (together[1..] - second).abs().max().item<float>());
        Assert.True(difference < 1e-4, $"batched and single-sample logits differ by {difference}");
    }

    [Fact]
    public void A_ROI_that_is_not_a_multiple_of_32_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Roi = 48 }));
        Assert.Contains("multiple of 32", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feature_size_follows_the_first_stage_width_and_the_decoder_reaches_the_backbone_gradient()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 });
        var state = network.state_dict();

        // F = 12 at unit size: the raw-image block maps 1 → F, the output conv F → classes, no token-map block (8F = 96 = D).
        Assert.Equal(new long[] { 12, 1, 3, 3, 3 }, state["encoder1.conv1.weight"].shape);
        Assert.Equal(new long[] { 2, 12, 1, 1, 1 }, state["out.weight"].shape);
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("encoder5.", StringComparison.Ordinal));
        Assert.DoesNotContain(state.Keys, k => k.Contains("index", StringComparison.Ordinal));
        Assert.Contains("backbone.blocks4.1.attn.relative_position_bias_table", state.Keys);
        Assert.Equal(new long[] { 192, 96, 2, 2, 2 }, state["backbone.fpn.0.weight"].shape);
        Assert.False(state["backbone.pos_embed"].requires_grad is false, "the downstream position embedding is learnable");

        network.train();
        var loss = network.forward(rand([1, 1, 32, 32, 32])).square().mean();
        loss.backward();
        var grad = network.Backbone.state_dict()["patch_embed1.proj.weight"].grad;
        Assert.NotNull(grad);
        Assert.True(grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Without_bias_and_layer_scale_the_encoder_computes_the_pretraining_encoder_before_fusion()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(13);
        using var pretrain = new MimPretrainNetwork(MimNetworkConfig.Unit);
        using var encoder = new MimDownstreamEncoder(MimNetworkConfig.Unit, new DownstreamOptions { DropPathRate = 0.1 });
        EncoderWeightTransfer.Load(encoder, pretrain.state_dict(), "memory");
        encoder.eval();
        var volumes = rand([2, 1, 32, 32, 32]);
        var trace = new Dictionary<string, Tensor>();

        pretrain.Encode(volumes, zeros([2, 8]), trace).Dispose();
        var hidden = encoder.forward(volumes);

        // Zero-initialised relative bias leaves attention unchanged, and drop-path is off in evaluation.
        Assert.True(hidden.Tokens.allclose(trace["blocks4_out"], rtol: 0, atol: 1e-5));
        Assert.Equal(new long[] { 2, 96, 2, 2, 2 }, hidden.TokenMap.shape);
        Assert.Equal(new long[] { 2, 192, 1, 1, 1 }, hidden.Extra.shape);
    }

    [Fact]
    public void Classification_pools_the_tokens_into_one_logit_per_class()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(14);
        using var network = new MimClassificationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 4 });
        network.eval();

        var logits = network.forward(rand([3, 1, 32, 32, 32]));

        Assert.Equal(new long[] { 3, 4 }, logits.shape);
        Assert.Contains("fc_norm.weight", network.state_dict().Keys);
        Assert.Contains("head.weight", network.state_dict().Keys);
    }

    [Fact]
    public void Drop_path_keeps_or_drops_whole_samples_and_preserves_the_mean()
    {
        using var scope = NewDisposeScope();
        manual_seed(15);
        var branch = ones([4000, 3]);

        var dropped = DropPath.Apply(branch, 0.25, training: true);
        var untouched = DropPath.Apply(branch, 0.25, training: false);

        var rows = dropped[.., 0];
        Assert.True((dropped[.., 1] == rows).all().item<bool>());
        Assert.True(((rows == 0) | ((rows - (1 / 0.75)).abs() < 1e-5)).all().item<bool>());
        Assert.InRange(rows.mean().item<float>(), 0.95, 1.05);
        Assert.True(untouched.equal(branch).all().item<bool>());
    }

    [Fact]
    public void Relative_position_index_gives_equal_offsets_the_same_row()
    {
        using var scope = NewDisposeScope();
        var index = RelativePositionIndex.Create(3);

        // Tokens (0,0,0)→(1,1,1) and (1,1,1)→(2,2,2) share the offset (−1,−1,−1); a token to itself is the centre row.
        Assert.Equal(index[0, 13].item<long>(), index[13, 26].item<long>());
        Assert.Equal(62, index[5, 5].item<long>());
        Assert.Equal(RelativePositionIndex.TableRows(3) - 1, index.max().item<long>());
        Assert.Equal(0, index[0, 26].item<long>());
    }
}
