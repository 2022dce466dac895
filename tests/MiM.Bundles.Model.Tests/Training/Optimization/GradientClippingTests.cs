using MiM.Bundles.Model.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Optimization;

[Collection(SerialTorchTests.Name)]
public sealed class GradientClippingTests
{
    [Fact]
    public void Gradients_over_the_limit_are_scaled_to_it_and_those_under_it_are_left_alone()
    {
        using var scope = NewDisposeScope();
        var a = new Parameter(zeros(2));
        var b = new Parameter(zeros(1));
        var unused = new Parameter(zeros(3));

        // Global norm of (3, 0) and (4) is 5.
        (a * tensor(new float[] { 3, 0 })).sum().add((b * 4).sum()).backward();

        var before = GradientClipping.ClipNorm([a, b, unused], 1.0);

        Assert.Equal(5.0, before, 4);
        Assert.Equal(0.6, a.grad!.data<float>()[0], 4);
        Assert.Equal(0.8, b.grad!.data<float>()[0], 4);
        Assert.Null(unused.grad);

        var again = GradientClipping.ClipNorm([a, b], 2.0);
        Assert.Equal(1.0, again, 4);
        Assert.Equal(0.6, a.grad!.data<float>()[0], 4);
    }
}
