using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;

namespace ThresholdBundle;

/// <summary>An encoder whose features are the volume's mean; counts its passes in a process-wide counter.</summary>
internal sealed class CountingEncoder(string id, string version) : IEncoderBundle
{
    /// <summary>The feature format: a boxed double, the mean intensity.</summary>
    public const string Format = "test-mean/1";

    private static int _passes;

    /// <summary>Encoder passes since the process started (read by tests through <see cref="EncoderPasses"/>).</summary>
    public static int Passes => Volatile.Read(ref _passes);

    public string FeatureFormat => Format;

    public BundleMemory EstimateMemory(GridSize input) => new(0, 0);

    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IEncodedFeatures> EncodeAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        Interlocked.Increment(ref _passes);
        return Task.FromResult<IEncodedFeatures>(new MeanFeatures(id, version, volume.Voxels.Average()));
    }

    public void Dispose()
    {
    }
}

/// <summary>Reads the encoder's pass count (public so tests can reflect on it through the plugin's context).</summary>
public static class EncoderPasses
{
    /// <summary>Encoder passes since the process started.</summary>
    public static int Count => CountingEncoder.Passes;
}
