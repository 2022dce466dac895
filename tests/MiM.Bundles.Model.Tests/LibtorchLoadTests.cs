namespace MiM.Bundles.Model.Tests;

public class LibtorchLoadTests
{
    [Fact]
    public void Libtorch_loads_and_adds()
    {
        using var a = TorchSharp.torch.ones(3);
        using var b = a + a;
        Assert.Equal(6f, b.sum().item<float>());
    }
}
