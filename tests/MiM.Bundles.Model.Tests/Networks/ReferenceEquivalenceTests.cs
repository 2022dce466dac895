using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Weights;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

/// <summary>Our network against outputs of the authors' PyTorch model for the same weights, input and mask.</summary>
public sealed class ReferenceEquivalenceTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Authors_initial_weights_reproduce_the_reference_outputs()
    {
        using var scope = NewDisposeScope();
        using var network = new MimPretrainNetwork(MimNetworkConfig.ReferenceTiny);
        MimWeights.Load(network, ReferenceAssets.Reference("mim_tiny.safetensors"));
        var io = ReferenceAssets.Read("mim_tiny_io.safetensors");

        CompareOutputs(network, io, io, "base");
    }

    [Fact]
    public void Perturbed_norms_and_biases_reproduce_the_reference_outputs()
    {
        using var scope = NewDisposeScope();
        using var network = new MimPretrainNetwork(MimNetworkConfig.ReferenceTiny);
        var weights = ReferenceAssets.Read("mim_tiny.safetensors");
        var delta = ReferenceAssets.Read("mim_tiny_perturbed_delta.safetensors");
        Assert.Equal(59, delta.Count);
        foreach (var (name, tensor) in delta)
        {
            Assert.True(weights.ContainsKey(name), $"delta key {name} is not a weight");
            weights[name] = tensor;
        }

        MimWeights.Load(network, weights);
        var io = ReferenceAssets.Read("mim_tiny_io.safetensors");
        var expected = ReferenceAssets.Read("mim_tiny_perturbed_io.safetensors");

        CompareOutputs(network, io, expected, "perturbed");
    }

    [Fact]
    public void Encoder_intermediates_match_the_reference()
    {
        using var scope = NewDisposeScope();
        using var network = new MimPretrainNetwork(MimNetworkConfig.ReferenceTiny);
        MimWeights.Load(network, ReferenceAssets.Reference("mim_tiny.safetensors"));
        var io = ReferenceAssets.Read("mim_tiny_io.safetensors");

        var trace = new Dictionary<string, Tensor>();
        using var noGrad = no_grad();
        using var encoded = network.Encode(io["x"], io["mask"], trace);

        foreach (var name in new[] { "tokens_all", "stage1_embed_all", "stage2_embed_all", "stage3_embed_all", "blocks4_out", "encoder_prenorm" })
        {
            var difference = ReferenceAssets.MaxAbsDifference(trace[name], io[name]);
            output.WriteLine($"{name}: max abs {difference:E2}");
            Assert.True(difference < Tolerance, $"{name} differs by {difference:E2}");
        }
    }

    private void CompareOutputs(MimPretrainNetwork network, Dictionary<string, Tensor> inputs, Dictionary<string, Tensor> expected, string label)
    {
        using var noGrad = no_grad();
        var x = inputs["x"];
        var mask = inputs["mask"];
        using var encoded = network.Encode(x, mask);
        using var decoded = network.Decode(encoded);
        using var loss = NormPixReconstructionLoss.Compute(decoded.Prediction, x, mask);

        Assert.Equal(ScalarType.Int64, encoded.IdsKeep.dtype);
        Assert.Equal(inputs["ids_keep"].data<long>().ToArray(), encoded.IdsKeep.data<long>().ToArray());
        Assert.Equal(inputs["ids_restore"].data<long>().ToArray(), encoded.IdsRestore.data<long>().ToArray());

        var differences = new (string Name, Tensor Actual)[]
        {
            ("encoder_out", encoded.Latent),
            ("pred", decoded.Prediction),
            ("decoder_feat", decoded.Features),
            ("loss", loss.reshape(1)),
        };
        foreach (var (name, actual) in differences)
        {
            var difference = ReferenceAssets.MaxAbsDifference(actual, expected[name]);
            output.WriteLine($"{label} {name}: max abs {difference:E2}");
            Assert.True(difference < Tolerance, $"{label} {name} differs by {difference:E2}");
        }
    }
}
