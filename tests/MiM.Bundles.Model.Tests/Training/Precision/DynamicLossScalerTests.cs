using MiM.Bundles.Model.Training.Precision;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Precision;

public class DynamicLossScalerTests
{
    [Fact]
    public void Finite_gradients_are_divided_by_the_scale()
    {
        var scaler = new DynamicLossScaler(initialScale: 8);
        using var p = new Parameter(ones(3));
        p.grad = full(3, 16f);
        Assert.True(scaler.UnscaleAndUpdate([p]));
        Assert.All(p.grad.data<float>().ToArray(), g => Assert.Equal(2f, g));
        Assert.Equal(8, scaler.Scale);
    }

    [Fact]
    public void An_overflowing_gradient_skips_the_step_and_halves_the_scale()
    {
        var scaler = new DynamicLossScaler(initialScale: 1024);
        using var p = new Parameter(ones(2));
        p.grad = tensor(new[] { 1f, float.PositiveInfinity });
        Assert.False(scaler.UnscaleAndUpdate([p]));
        Assert.Equal(512, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
    }

    [Fact]
    public void The_scale_doubles_after_a_run_of_clean_steps()
    {
        var scaler = new DynamicLossScaler(initialScale: 4, growthInterval: 3);
        using var p = new Parameter(ones(1));
        for (var i = 0; i < 3; i++)
        {
            p.grad = ones(1);
            scaler.UnscaleAndUpdate([p]);
        }

        Assert.Equal(8, scaler.Scale);
    }
}
