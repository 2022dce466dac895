using System.Diagnostics.Metrics;

namespace MiM.Bundles.Host.Jobs;

/// <summary>Jobs by bundle, version and outcome, and how long each stage took (exported at /metrics with every "MiM.Bundles*" meter).</summary>
public static class JobMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MiM.Bundles.Host.Jobs";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> Finished = Meter.CreateCounter<long>("mim.jobs.finished", "{job}", "Jobs that ended, by bundle, version and outcome (delivered, kept, failed)");

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "mim.jobs.stage.duration", "s", "Duration of each job stage (load, inference, write, deliver)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    /// <summary>Records a stage that ended.</summary>
    public static void StageEnded(JobRecord job, JobStageRecord stage)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(stage);
        if (stage.Ended is { } ended)
        {
            StageDuration.Record(
                (ended - stage.Started).TotalSeconds,
                new KeyValuePair<string, object?>("stage", stage.Name),
                new KeyValuePair<string, object?>("bundle", job.BundleId),
                new KeyValuePair<string, object?>("outcome", stage.Error is null ? "ok" : "failed"));
        }
    }

    /// <summary>Records a job that reached Delivered or Failed.</summary>
    public static void JobFinished(JobRecord job)
    {
        ArgumentNullException.ThrowIfNull(job);
        Finished.Add(
            1,
            new KeyValuePair<string, object?>("bundle", job.BundleId),
            new KeyValuePair<string, object?>("version", job.RanVersion ?? job.BundleVersion),
            new KeyValuePair<string, object?>("outcome", job.State switch { JobState.Delivered => "delivered", JobState.Kept => "kept", _ => "failed" }));
    }
}
