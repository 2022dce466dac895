using System.Diagnostics.Metrics;

namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>The outbox's instruments on the <c>MiM.Bundles.Dicom.Network.Storage</c> meter, each tagged with <c>destination</c>.</summary>
internal static class OutboxMetrics
{
    private static readonly Meter Meter = new("MiM.Bundles.Dicom.Network.Storage");

    /// <summary>Jobs delivered completely.</summary>
    public static readonly Counter<long> DeliveredJobs = Meter.CreateCounter<long>("mim.dicom.outbox.delivered_jobs", "{job}", "Outbox jobs delivered completely");

    /// <summary>Files delivered.</summary>
    public static readonly Counter<long> DeliveredFiles = Meter.CreateCounter<long>("mim.dicom.outbox.delivered_files", "{file}", "Files the destination kept");

    /// <summary>Attempts that left files undelivered.</summary>
    public static readonly Counter<long> FailedAttempts = Meter.CreateCounter<long>("mim.dicom.outbox.failed_attempts", "{attempt}", "Send attempts that left files undelivered");

    /// <summary>Jobs dead-lettered: one per job, however many files or attempts.</summary>
    public static readonly Counter<long> DeadLettered = Meter.CreateCounter<long>("mim.dicom.outbox.dead_lettered", "{job}", "Outbox jobs moved to the dead-letter folder");

    /// <summary>Jobs waiting for delivery (queue depth): up on enqueue and on recovery at open, down on delivery or dead-letter.</summary>
    public static readonly UpDownCounter<long> Queued = Meter.CreateUpDownCounter<long>("mim.dicom.outbox.queued", "{job}", "Outbox jobs waiting for delivery");
}
