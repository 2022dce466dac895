using MiM.Bundles.Contracts.Bundles;

namespace ThresholdBundle;

/// <summary>The counting encoder's features.</summary>
internal sealed class MeanFeatures(string encoderId, string encoderVersion, double mean) : IEncodedFeatures
{
    public string Format => CountingEncoder.Format;

    public string EncoderId => encoderId;

    public string EncoderVersion => encoderVersion;

    public string Device => "cpu";

    public object Payload => mean;

    public void Dispose()
    {
    }
}
