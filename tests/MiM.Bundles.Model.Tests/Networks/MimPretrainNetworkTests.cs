using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

public sealed class MimPretrainNetworkTests
{
    [Fact]
    public void Unit_network_produces_the_documented_shapes()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(1);
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var volumes = rand([3, 1, 32, 32, 32]);
        var mask = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 0, 1 }).reshape(3, 8);

        using var encoded = network.Encode(volumes, mask);
        using var decoded = network.Decode(encoded);

        Assert.Equal(new long[] { 3, 4, 96 }, encoded.Latent.shape);
        Assert.Equal(new long[] { 1, 3, 5, 7 }, encoded.IdsKeep[0].data<long>().ToArray());
        Assert.Equal(new long[] { 0, 1, 6, 7 }, encoded.IdsKeep[1].data<long>().ToArray());
        Assert.Equal(new long[] { 0, 1, 4, 5, 6, 7, 2, 3 }, encoded.IdsRestore[1].data<long>().ToArray());
        Assert.Equal(new long[] { 3, 8, 4096 }, decoded.Prediction.shape);
        Assert.Equal(new long[] { 3, 8, 96 }, decoded.Features.shape);
    }

    [Fact]
    public void Ids_restore_puts_visible_then_masked_tokens_back_in_order()
    {
        using var scope = NewDisposeScope();
        var mask = tensor(new float[] { 0, 1, 1, 0, 1, 0, 0, 1 }).reshape(1, 8);

        var (idsKeep, idsRestore) = TokenMask.KeepAndRestore(mask);

        Assert.Equal(new long[] { 0, 3, 5, 6 }, idsKeep.data<long>().ToArray());
        // cat(visible, masked) = [0,3,5,6,1,2,4,7]; token t sits at position idsRestore[t].
        Assert.Equal(new long[] { 0, 4, 5, 1, 6, 2, 3, 7 }, idsRestore.data<long>().ToArray());
    }

    [Fact]
    public void A_mask_with_different_visible_counts_per_row_is_rejected()
    {
        using var scope = NewDisposeScope();
        var mask = tensor(new float[] { 0, 1, 1, 1, 0, 0, 1, 1 }).reshape(2, 4);

        var error = Assert.Throws<ArgumentException>(() => TokenMask.KeepAndRestore(mask));
        Assert.Contains("same number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeAllTokens_equals_Encode_with_nothing_masked()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(2);
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var volumes = rand([2, 1, 32, 32, 32]);

        var all = network.EncodeAllTokens(volumes);
        using var encoded = network.Encode(volumes, zeros([2, 8]));

        Assert.Equal(new long[] { 2, 8, 96 }, all.shape);
        Assert.True(all.allclose(encoded.Latent, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Initialisation_follows_the_authors()
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var state = network.state_dict();

        // xavier_uniform bound sqrt(6 / (fan_in + fan_out)); biases zero.
        var qkv = state["blocks4.0.attn.qkv.weight"];
        var bound = Math.Sqrt(6.0 / (96 + 288));
        Assert.True(qkv.abs().max().item<float>() <= bound);
        Assert.True(qkv.abs().max().item<float>() > 0.9 * bound);
        Assert.Equal(0f, state["decoder_pred.bias"].abs().max().item<float>());

        // patch_embed3's conv: xavier on the [out, in·k³] view, bound sqrt(6 / (24·8 + 48)).
        var proj3 = state["patch_embed3.proj.weight"];
        var proj3Bound = Math.Sqrt(6.0 / ((24 * 8) + 48));
        Assert.True(proj3.abs().max().item<float>() <= proj3Bound);
        Assert.True(proj3.abs().max().item<float>() > 0.9 * proj3Bound);

        // Other convs keep PyTorch's default kaiming_uniform(a=√5): bound 1/sqrt(fan_in) = 1/sqrt(1·8) for patch_embed1.
        var proj1 = state["patch_embed1.proj.weight"];
        Assert.True(proj1.abs().max().item<float>() <= 1 / Math.Sqrt(8));

        Assert.Equal(1f, state["blocks1.0.norm1.weight"].min().item<float>());
        Assert.Equal(0f, state["norm.bias"].abs().max().item<float>());
        var maskTokenStd = state["mask_token"].std().item<float>();
        Assert.InRange(maskTokenStd, 0.012f, 0.028f);

        using var expectedPos = SinCosPositionEmbedding.Create3D(96, 2);
        Assert.True(state["pos_embed"].allclose(expectedPos));
        Assert.False(state["pos_embed"].requires_grad);
        Assert.False(state["decoder_pos_embed"].requires_grad);
    }

    [Fact]
    public void Layer_norm_eps_is_1e5_in_patch_embeds_and_conv_blocks_and_1e6_elsewhere()
    {
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var modules = network.named_modules().ToDictionary(m => m.name, m => m.module);

        Assert.Equal(1e-5, ((ChannelLayerNorm)modules["patch_embed1.norm"]).Eps);
        Assert.Equal(1e-5, ((ChannelLayerNorm)modules["blocks2.0.norm1"]).Eps);
        Assert.Equal(1e-5, ((ChannelLayerNorm)modules["blocks3.0.norm2"]).Eps);
        foreach (var name in new[] { "blocks4.0.norm1", "blocks4.1.norm2", "norm", "decoder_norm", "decoder_blocks.0.norm1" })
        {
            var norm = Assert.IsType<LayerNorm>(modules[name]);
            Assert.Equal(1e-6, norm.eps);
        }
    }

    [Fact]
    public void Converting_the_dtype_keeps_official_names_and_frozen_flags()
    {
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var before = network.state_dict().Keys.ToList();

        network.to(ScalarType.Float64);

        Assert.Equal(before, network.state_dict().Keys.ToList());
        Assert.False(network.state_dict()["pos_embed"].requires_grad);
        Assert.Equal(ScalarType.Float64, network.state_dict()["pos_embed"].dtype);
        using var volumes = rand([1, 1, 32, 32, 32], ScalarType.Float64);
        using var all = network.EncodeAllTokens(volumes);
        Assert.Equal(ScalarType.Float64, all.dtype);
    }
}
