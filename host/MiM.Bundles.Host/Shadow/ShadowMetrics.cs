using System.Diagnostics.Metrics;

namespace MiM.Bundles.Host.Shadow;

/// <summary>Shadow jobs and their agreement with the serving version, by bundle and candidate version (exported at /metrics).</summary>
public static class ShadowMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MiM.Bundles.Host.Shadow";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Jobs = Meter.CreateCounter<long>("mim.shadow.jobs", "{job}", "Shadow jobs that ended, by bundle, candidate version and outcome (compared, not-compared, failed)");

    private static readonly Histogram<double> AgreementHistogram = Meter.CreateHistogram<double>(
        "mim.shadow.agreement", "1", "Agreement of each shadow job with the serving job (mean Dice per label, or top class agreement)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 1] });

    /// <summary>Records a shadow job that ended, with its agreement when it was compared.</summary>
    public static void Recorded(string bundleId, string version, string outcome, double? agreement)
    {
        var bundle = new KeyValuePair<string, object?>("bundle", bundleId);
        var candidate = new KeyValuePair<string, object?>("version", version);
        Jobs.Add(1, bundle, candidate, new KeyValuePair<string, object?>("outcome", outcome));
        if (agreement is { } value)
        {
            AgreementHistogram.Record(value, bundle, candidate);
        }
    }
}
