using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Randomness;
using MiM.Bundles.Model.Training.Precision;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Precision;

[Collection(SerialTorchTests.Name)]
public class LowPrecisionShadowTests
{
    [Fact]
    public void Bf16_copy_gives_fp32_master_gradients_close_to_an_fp32_backward()
    {
        var config = MimNetworkConfig.Unit;
        manual_seed(3);
        using var master = new MimPretrainNetwork(config);
        long edge = config.InputSize;
        using var volume = rand([2, 1, edge, edge, edge]);
        using var mask = TokenMasks.Random(new StepRandom(1, 0, RandomPurpose.Other), 2, config.TokenCount, 0.5);

        using (var encoded = master.Encode(volume, mask))
        using (var decoded = master.Decode(encoded))
        {
            NormPixReconstructionLoss.Compute(decoded.Prediction, volume, mask).backward();
        }

        var reference = master.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        master.zero_grad();

        using var shadow = new LowPrecisionShadow(master, ScalarType.BFloat16);
        shadow.Pull();
        using (var lowVolume = volume.to(ScalarType.BFloat16))
        using (var encoded = shadow.Network.Encode(lowVolume, mask.to(ScalarType.BFloat16)))
        using (var decoded = shadow.Network.Decode(encoded))
        {
            NormPixReconstructionLoss.Compute(decoded.Prediction.to(ScalarType.Float32), volume, mask).backward();
        }

        shadow.PushGradients();
        var names = reference.Keys.Order(StringComparer.Ordinal).ToList();
        var parameters = master.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var all = cat(names.Select(n => parameters[n].grad!.flatten()).ToArray());
        using var allExpected = cat(names.Select(n => reference[n].flatten()).ToArray());
        using var overall = nn.functional.cosine_similarity(all, allExpected, dim: 0);
        Assert.True(
            overall.item<float>() > 0.99f,
            $"cosine {overall.item<float>()} between all bf16 and fp32 gradients (norms {all.norm().item<float>()} and {allExpected.norm().item<float>()}, {names.Count} tensors)");
        foreach (var (name, parameter) in master.named_parameters())
        {
            Assert.Equal(ScalarType.Float32, parameter.dtype);
            if (!reference.TryGetValue(name, out var expected))
            {
                continue;
            }

            // bf16 keeps 8 bits of mantissa: compare gradient directions, not digits.
            using var cosine = nn.functional.cosine_similarity(parameter.grad!.flatten(), expected.flatten(), dim: 0);
            Assert.True(cosine.item<float>() > 0.9f, $"{name}: cosine {cosine.item<float>()} between bf16 and fp32 gradients");
        }
    }
}
