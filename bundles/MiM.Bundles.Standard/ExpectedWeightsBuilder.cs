using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>Which tensors each built-in kind's weights files hold, read off a freshly built network on the CPU.</summary>
internal static class ExpectedWeightsBuilder
{
    public static IReadOnlyList<ExpectedWeights> For(string kind, NetworkDefinition definition)
    {
        using var scope = NewDisposeScope();
        using var network = StandardNetworks.Create(kind, definition);
        var state = network.state_dict();
        var encoder = state.Where(kv => kv.Key.StartsWith(StandardKinds.BackbonePrefix, StringComparison.Ordinal) || network is MimDownstreamEncoder)
            .Select(kv => Spec(kv.Key.StartsWith(StandardKinds.BackbonePrefix, StringComparison.Ordinal) ? kv.Key[StandardKinds.BackbonePrefix.Length..] : kv.Key, kv.Value))
            .ToList();
        if (network is MimDownstreamEncoder)
        {
            return [new ExpectedWeights(StandardKinds.EncoderWeights, encoder)];
        }

        var head = state.Where(kv => !kv.Key.StartsWith(StandardKinds.BackbonePrefix, StringComparison.Ordinal)).Select(kv => Spec(kv.Key, kv.Value)).ToList();
        return definition.EmbeddedEncoder
            ? [new ExpectedWeights(StandardKinds.HeadWeights, head), new ExpectedWeights(StandardKinds.EncoderWeights, encoder)]
            : [new ExpectedWeights(StandardKinds.HeadWeights, head)];
    }

    private static TensorSpec Spec(string name, Tensor tensor) => new(name, tensor.shape);
}
