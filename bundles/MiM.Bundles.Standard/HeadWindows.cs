using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>
/// Runs a head over the sliding windows of a preprocessed volume: with the shared encoder's hidden states when given
/// (one per window batch, consumed in the inferer's order), else with the head's own encoder. Each forward is timed
/// into <see cref="WindowTimes"/>.
/// </summary>
internal static class HeadWindows
{
    public static Tensor Infer(
        Tensor input, NetworkDefinition definition, MimDownstreamEncoder ownEncoder, IEncodedFeatures? features, Device device, Func<Tensor, Tensor[], Tensor> head, WindowTimes? times = null)
    {
        times ??= new WindowTimes();
        var shared = features is null ? null : WindowedEncoder.Windows(features);
        var next = 0;
        using var noGrad = no_grad();
        var output = new SlidingWindowInferer(definition.Window).Infer(input, batch =>
        {
            var onDevice = batch.to(device);
            if (shared is null)
            {
                var hidden = times.TimeEncoder(() => ownEncoder.forward(onDevice));
                return times.TimeHead(() => head(onDevice, [hidden.Stage1, hidden.Stage2, hidden.Stage3, hidden.Tokens, hidden.TokenMap, hidden.Extra]));
            }

            if (next >= shared.Count || shared[next][0].shape[0] != batch.shape[0])
            {
                throw new InvalidOperationException("the shared encoder's features were made with other sliding-window settings than this head's");
            }

            var states = shared[next++];
            return times.TimeHead(() => head(onDevice, states));
        });
        if (shared is not null && next != shared.Count)
        {
            output.Dispose();
            throw new InvalidOperationException("the shared encoder's features were made with other sliding-window settings than this head's");
        }

        return output;
    }
}
