using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Weights;

public sealed class MimWeightsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mim-weights-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Saved_weights_load_into_a_fresh_network_and_give_identical_outputs()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(8);
        using var original = new MimPretrainNetwork(MimNetworkConfig.Unit);
        manual_seed(9);
        using var fresh = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var path = Path.Combine(_directory, "unit.safetensors");
        var volumes = rand([1, 1, 32, 32, 32]);
        var mask = tensor(new float[] { 1, 0, 0, 1, 1, 0, 1, 0 }).reshape(1, 8);

        MimWeights.Save(original, path);
        MimWeights.Load(fresh, path);

        using var expected = original.Decode(original.Encode(volumes, mask));
        using var actual = fresh.Decode(fresh.Encode(volumes, mask));
        Assert.Equal(expected.Prediction.data<float>().ToArray(), actual.Prediction.data<float>().ToArray());
        Assert.Equal(original.state_dict().Keys.Order(StringComparer.Ordinal), MimWeights.ReadStateDict(path).Keys.Order(StringComparer.Ordinal));
        Assert.False(fresh.state_dict()["pos_embed"].requires_grad);
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void A_renamed_key_and_a_wrong_shape_are_both_named_in_the_mismatch()
    {
        using var scope = NewDisposeScope();
        using var network = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var state = network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        state["norm.gamma"] = state["norm.weight"];
        state.Remove("norm.weight");
        state["decoder_pred.bias"] = zeros(17);
        var path = Path.Combine(_directory, "broken.safetensors");
        TorchSharp.PyBridge.Safetensors.SaveStateDict(path, state);
        var before = network.state_dict()["blocks1.0.conv1.weight"].clone();

        var error = Assert.Throws<WeightMismatchException>(() => MimWeights.Load(network, path));

        Assert.Equal(["norm.weight"], error.MissingKeys);
        Assert.Equal(["norm.gamma"], error.UnexpectedKeys);
        Assert.Single(error.ShapeMismatches);
        Assert.Contains("norm.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("norm.gamma", error.Message, StringComparison.Ordinal);
        Assert.Contains("decoder_pred.bias: expected [4096], found [17]", error.Message, StringComparison.Ordinal);
        Assert.True(before.equal(network.state_dict()["blocks1.0.conv1.weight"]).all().item<bool>(), "nothing may be copied on a mismatch");
    }

    [Fact]
    public void A_long_mismatch_message_is_capped_with_counts()
    {
        using var scope = NewDisposeScope();
        using var unit = new MimPretrainNetwork(MimNetworkConfig.Unit);
        var path = Path.Combine(_directory, "unit.safetensors");
        MimWeights.Save(unit, path);
        using var smaller = new MimPretrainNetwork(MimNetworkConfig.ReferenceTiny);

        var error = Assert.Throws<WeightMismatchException>(() => MimWeights.Load(smaller, path));

        Assert.True(error.ShapeMismatches.Count > 50);
        Assert.Contains($"{error.ShapeMismatches.Count} with a different shape", error.Message, StringComparison.Ordinal);
        Assert.Contains($"and {error.ShapeMismatches.Count - 10} more", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 2000, $"message length {error.Message.Length}");
    }
}
