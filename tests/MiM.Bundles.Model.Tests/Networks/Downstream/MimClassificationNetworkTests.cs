using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Networks.Downstream;

[Collection(SerialTorchTests.Name)]
public sealed class MimClassificationNetworkTests
{
    [Fact]
    public void A_fresh_network_starts_at_chance_for_every_input()
    {
        // The head's init decides the first steps: a xavier head gave logits of about ±1.4 on the LayerNorm's unit-variance
        // features (loss ~2.6 at step 1), and the large gradients that undid them flattened every input's pooled tokens
        // into one vector. MAE's std-2e-5 head gives logits of ~1e-4 on any input, so the loss starts at ln 2.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        manual_seed(21);
        using var network = new MimClassificationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2, Roi = 32 });
        network.eval();

        var logits = network.forward(rand([4, 1, 32, 32, 32]) * 3);
        var loss = nn.functional.cross_entropy(logits, tensor(new long[] { 0, 1, 0, 1 })).item<float>();

        var largest = logits.abs().max().item<float>();
        Assert.True(largest < 1e-2, $"a fresh head's logits reach {largest}");
        Assert.Equal(Math.Log(2), loss, 3);
    }
}
