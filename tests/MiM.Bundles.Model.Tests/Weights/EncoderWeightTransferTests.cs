using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Weights;

[Collection(SerialTorchTests.Name)]
public sealed class EncoderWeightTransferTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mim-transfer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_pretraining_checkpoint_folder_loads_every_encoder_tensor_bit_exactly_and_drops_the_pretraining_parts()
    {
        using var scope = NewDisposeScope();
        manual_seed(21);
        using var pretrain = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var folder = Path.Combine(_directory, "step_0000100");
        MimWeights.Save(pretrain, Path.Combine(folder, "model.safetensors"));
        manual_seed(22);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });

        var report = EncoderWeightTransfer.Load(network.Backbone, folder);

        var source = pretrain.state_dict();
        var encoder = network.Backbone.state_dict();
        var shared = source.Keys.Where(encoder.ContainsKey).ToList();
        Assert.Equal(shared.Order(StringComparer.Ordinal), report.Loaded.Order(StringComparer.Ordinal));
        foreach (var key in shared)
        {
            Assert.True(source[key].equal(encoder[key]).all().item<bool>(), key);
        }

        Assert.Empty(report.Interpolated);
        Assert.Contains("norm.weight", report.Dropped);
        Assert.Contains("decoder_pred.weight", report.Dropped);
        Assert.Contains("mask_token", report.Dropped);
        Assert.Contains("stage1_output_decode.weight", report.Dropped);
        Assert.Contains("aggregate_mid.fc1.weight", report.Dropped);
        Assert.Equal(source.Count, report.Loaded.Count + report.Dropped.Count);
        Assert.Contains("fpn.0.weight", report.New);
        Assert.Contains("blocks4.0.attn.relative_position_bias_table", report.New);
        Assert.DoesNotContain(report.New, k => k.StartsWith("blocks1.", StringComparison.Ordinal));
        Assert.Contains(report.Describe(), line => line.Contains("dropped decoder_pred.weight", StringComparison.Ordinal));
    }

    [Fact]
    public void The_position_embedding_is_trilinearly_interpolated_for_a_larger_ROI()
    {
        using var scope = NewDisposeScope();
        manual_seed(23);
        using var pretrain = new MimPretrainNetwork(MimNetworkConfig.Unit);
        using var encoder = new MimDownstreamEncoder(MimNetworkConfig.Unit, new DownstreamOptions { Roi = 64 });

        var report = EncoderWeightTransfer.Load(encoder, pretrain.state_dict(), "memory");

        Assert.Equal(["pos_embed: [1, 8, 96] → [1, 64, 96]"], report.Interpolated);
        var from = pretrain.state_dict()["pos_embed"].reshape(2, 2, 2, 96);
        var to = encoder.state_dict()["pos_embed"].reshape(4, 4, 4, 96);

        // align_corners=false, 2 → 4: output i samples source (i + 0.5)/2 − 0.5, clamped: 0 → 0, 1 → 0.25, 2 → 0.75, 3 → 1.
        Assert.True(to[0, 0, 0].allclose(from[0, 0, 0], atol: 1e-6));
        Assert.True(to[3, 3, 3].allclose(from[1, 1, 1], atol: 1e-6));
        var expected = (0.75 * from[0, 0, 0]) + (0.25 * from[1, 0, 0]);
        Assert.True(to[1, 0, 0].allclose(expected, atol: 1e-6));
        // Axis 0 samples 0.25, axis 2 samples 0.75.
        var mixed = (0.75 * 0.25 * from[0, 0, 0]) + (0.75 * 0.75 * from[0, 0, 1]) + (0.25 * 0.25 * from[1, 0, 0]) + (0.25 * 0.75 * from[1, 0, 1]);
        Assert.True(to[1, 0, 2].allclose(mixed, atol: 1e-6));
    }

    [Fact]
    public void Official_names_with_module_and_backbone_prefixes_load_and_their_decoder_is_dropped()
    {
        using var scope = NewDisposeScope();
        manual_seed(24);
        using var pretrain = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var official = pretrain.state_dict()
            .Where(kv => !EncoderWeightTransfer.IsPretrainingOnly(kv.Key))
            .ToDictionary(kv => "module.backbone." + kv.Key, kv => kv.Value.detach().clone());
        official["module.encoder1.layer.conv1.conv.weight"] = zeros([12, 1, 3, 3, 3]);
        official["module.backbone.blocks4.0.attn.relative_position_bias_table"] = rand([30, 3]);
        var path = Path.Combine(_directory, "official.safetensors");
        Safetensors.SaveStateDict(path, official);
        using var encoder = new MimDownstreamEncoder(MimNetworkConfig.Unit, new DownstreamOptions { Roi = 64 });

        var report = EncoderWeightTransfer.Load(encoder, path);

        Assert.Equal(["module.encoder1.layer.conv1.conv.weight"], report.Dropped);
        Assert.Contains(report.Interpolated, line => line.StartsWith("blocks4.0.attn.relative_position_bias_table: [30, 3] → [343, 3]", StringComparison.Ordinal));
        Assert.True(encoder.state_dict()["blocks1.0.attn.weight"].equal(pretrain.state_dict()["blocks1.0.attn.weight"]).all().item<bool>());
        Assert.Contains("blocks4.1.attn.relative_position_bias_table", report.New);
    }

    [Fact]
    public void A_checkpoint_of_other_sizes_names_the_first_mismatched_key_and_changes_nothing()
    {
        using var scope = NewDisposeScope();
        manual_seed(25);
        using var other = new MimPretrainNetwork(MimNetworkConfig.Unit with { EmbedDims = [6, 24, 48, 96] });
        using var encoder = new MimDownstreamEncoder(MimNetworkConfig.Unit, new DownstreamOptions());
        var before = encoder.state_dict()["blocks4.0.attn.qkv.weight"].clone();

        var error = Assert.Throws<WeightMismatchException>(() => EncoderWeightTransfer.Load(encoder, other.state_dict(), "other.safetensors"));

        Assert.Contains("'blocks1.0.attn.bias' has shape [6]", error.Message, StringComparison.Ordinal);
        Assert.Contains("other.safetensors", error.Message, StringComparison.Ordinal);
        Assert.True(before.equal(encoder.state_dict()["blocks4.0.attn.qkv.weight"]).all().item<bool>());
    }

    [Fact]
    public void A_run_folder_resolves_to_its_latest_checkpoint_and_a_wrong_path_is_named()
    {
        var checkpoint = Path.Combine(_directory, "run", "checkpoints", "step_0000042");
        Directory.CreateDirectory(checkpoint);
        File.WriteAllText(Path.Combine(checkpoint, "model.safetensors"), string.Empty);
        File.WriteAllText(Path.Combine(_directory, "run", "checkpoints", "latest"), "step_0000042");

        Assert.Equal(Path.Combine(checkpoint, "model.safetensors"), EncoderWeightTransfer.ResolveWeightsFile(Path.Combine(_directory, "run")));
        Assert.Equal(Path.Combine(checkpoint, "model.safetensors"), EncoderWeightTransfer.ResolveWeightsFile(checkpoint));
        var error = Assert.Throws<FileNotFoundException>(() => EncoderWeightTransfer.ResolveWeightsFile(Path.Combine(_directory, "nothing")));
        Assert.Contains("nothing", error.Message, StringComparison.Ordinal);
    }
}
