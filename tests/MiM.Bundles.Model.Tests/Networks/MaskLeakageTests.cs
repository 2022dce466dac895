using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks;

/// <summary>The encoder's visible-token features must not depend on masked voxels (masked dense convolution).</summary>
public sealed class MaskLeakageTests
{
    private const int MaskedToken = 21; // interior token (1,1,1) of the 4³ grid: neighbours on every side

    [Fact]
    public void Noise_inside_masked_tokens_leaves_visible_token_features_unchanged()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (network, volumes, mask) = Setup();
        var maskedVoxels = 1 - TokenMask.VisibleAt(mask, network.Config.GridSize, MimNetworkConfig.TokenSize);
        var noisy = volumes + (randn(volumes.shape) * 5 * maskedVoxels);

        using var clean = network.Encode(volumes, mask);
        using var perturbed = network.Encode(noisy, mask);

        Assert.True(noisy.sub(volumes).abs().max().item<float>() > 1f, "the noise must actually change masked voxels");
        Assert.True(perturbed.Latent.allclose(clean.Latent, rtol: 0, atol: 1e-5), "masked voxels leaked into visible tokens");
    }

    [Fact]
    public void Changing_a_visible_token_changes_visible_token_features()
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (network, volumes, mask) = Setup();
        var changed = volumes.clone();
        changed[0, 0, 0..16, 0..16, 0..16] = rand([16, 16, 16]); // token 0, visible

        using var clean = network.Encode(volumes, mask);
        using var perturbed = network.Encode(changed, mask);

        Assert.Equal(0f, mask[0, 0].item<float>());
        Assert.False(perturbed.Latent.allclose(clean.Latent, rtol: 0, atol: 1e-3));
    }

    private static (MimPretrainNetwork Network, Tensor Volumes, Tensor Mask) Setup()
    {
        manual_seed(11);
        var network = new MimPretrainNetwork(MimNetworkConfig.ReferenceTiny);
        var volumes = rand([2, 1, 64, 64, 64]);

        // Every other token masked, plus the interior token 21, minus token 20 to keep 32 visible per row.
        var mask = (arange(64) % 2).to(ScalarType.Float32).unsqueeze(0).repeat(2, 1);
        mask[.., MaskedToken] = 1;
        mask[.., MaskedToken - 1] = 0;
        return (network, volumes, mask);
    }
}
