using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>
/// Runs a MiM encoder over the sliding windows of a preprocessed volume and keeps its hidden states per window batch,
/// in the inferer's order, on the device; a head replays the same windows over them.
/// </summary>
internal static class WindowedEncoder
{
    public static List<Tensor[]> Encode(MimDownstreamEncoder encoder, Tensor input, SlidingWindowOptions window, Device device)
    {
        var windows = new List<Tensor[]>();
        encoder.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        new SlidingWindowInferer(window).Infer(input, batch =>
        {
            var hidden = encoder.forward(batch.to(device));
            windows.Add([.. new[] { hidden.Stage1, hidden.Stage2, hidden.Stage3, hidden.Tokens, hidden.TokenMap, hidden.Extra }.Select(t => t.DetachFromDisposeScope())]);
            return zeros([batch.shape[0], 1, batch.shape[2], batch.shape[3], batch.shape[4]]);
        });
        return windows;
    }

    /// <summary>The feature windows of a payload, checked to be the MiM encoder's.</summary>
    public static IReadOnlyList<Tensor[]> Windows(Contracts.Bundles.IEncodedFeatures features) =>
        features is { Format: StandardKinds.FeatureFormat, Payload: IReadOnlyList<Tensor[]> windows }
            ? windows
            : throw new InvalidOperationException($"expected features of format {StandardKinds.FeatureFormat}, got {features.Format}");
}
