using MiM.Bundles.Contracts.Bundles;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>The MiM encoder's features of one volume (<see cref="StandardKinds.FeatureFormat"/>); disposing frees the device memory.</summary>
internal sealed class MimHiddenStates(string encoderId, string encoderVersion, string device, List<Tensor[]> windows) : IEncodedFeatures
{
    public string Format => StandardKinds.FeatureFormat;

    public string EncoderId => encoderId;

    public string EncoderVersion => encoderVersion;

    public string Device => device;

    /// <summary>An <c>IReadOnlyList&lt;Tensor[]&gt;</c>: BCL and TorchSharp types only, so heads in other load contexts can read it.</summary>
    public object Payload => windows;

    public void Dispose()
    {
        foreach (var tensor in windows.SelectMany(w => w))
        {
            tensor.Dispose();
        }

        windows.Clear();
    }
}
