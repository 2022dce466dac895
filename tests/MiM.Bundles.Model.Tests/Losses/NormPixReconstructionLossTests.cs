using MiM.Bundles.Model.Losses;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Losses;

public sealed class NormPixReconstructionLossTests
{
    [Fact]
    public void Loss_is_zero_for_the_unbiased_standardised_target_and_positive_otherwise()
    {
        using var scope = NewDisposeScope();
        manual_seed(5);
        var volumes = rand([2, 1, 32, 32, 32]);
        var mask = tensor(new float[] { 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0 }).reshape(2, 8);
        var target = Patchify.ToTokens(volumes);
        var perfect = (target - target.mean([-1], keepdim: true)) / (target.var(-1, unbiased: true, keepdim: true) + 1e-6).sqrt();

        var zero = NormPixReconstructionLoss.Compute(perfect, volumes, mask).item<float>();
        var biased = (target - target.mean([-1], keepdim: true)) / (target.var(-1, unbiased: false, keepdim: true) + 1e-6).sqrt();
        var biasedLoss = NormPixReconstructionLoss.Compute(biased, volumes, mask).item<float>();
        var offLoss = NormPixReconstructionLoss.Compute(perfect + 0.5f, volumes, mask).item<float>();

        Assert.True(zero < 1e-10, $"loss {zero}");
        Assert.True(biasedLoss > 1e-9, "a biased-variance target must not score zero");
        Assert.Equal(0.25f, offLoss, 1e-5f);
    }

    [Fact]
    public void Only_masked_tokens_count()
    {
        using var scope = NewDisposeScope();
        manual_seed(6);
        var volumes = rand([1, 1, 32, 32, 32]);
        var mask = tensor(new float[] { 1, 0, 1, 0, 1, 1, 0, 0 }).reshape(1, 8);
        var prediction = randn([1, 8, 4096]);

        var baseline = NormPixReconstructionLoss.Compute(prediction, volumes, mask).item<float>();
        var visibleChanged = prediction.clone();
        visibleChanged[0, 1] = randn(4096) * 10;
        var maskedChanged = prediction.clone();
        maskedChanged[0, 0] = randn(4096) * 10;

        Assert.Equal(baseline, NormPixReconstructionLoss.Compute(visibleChanged, volumes, mask).item<float>());
        Assert.NotEqual(baseline, NormPixReconstructionLoss.Compute(maskedChanged, volumes, mask).item<float>());
    }

    [Fact]
    public void Loss_pools_masked_tokens_over_the_batch()
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        var volumes = rand([2, 1, 32, 32, 32]);
        var target = Patchify.ToTokens(volumes);
        var normalised = (target - target.mean([-1], keepdim: true)) / (target.var(-1, unbiased: true, keepdim: true) + 1e-6).sqrt();

        // Row 0: one masked token off by 1 (mse 1); row 1: three masked tokens exact. Pooled: 1/4, not mean of rows 1/2.
        var prediction = normalised.clone();
        prediction[0, 0] += 1;
        var mask = tensor(new float[] { 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0 }).reshape(2, 8);

        Assert.Equal(0.25f, NormPixReconstructionLoss.Compute(prediction, volumes, mask).item<float>(), 1e-5f);
    }
}
