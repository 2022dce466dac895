using System.Diagnostics.Metrics;

namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>The inbox's instruments on the <c>MiM.Bundles.Dicom.Network.Storage</c> meter (for OpenTelemetry or Prometheus exporters).</summary>
internal static class InboxMetrics
{
    private static readonly Meter Meter = new("MiM.Bundles.Dicom.Network.Storage");

    /// <summary>Instances stored.</summary>
    public static readonly Counter<long> Stored = Meter.CreateCounter<long>("mim.dicom.inbox.stored", "{instance}", "Instances made durable in the inbox");

    /// <summary>Duplicates answered (tag <c>differs</c>: whether the data set differed from the stored copy).</summary>
    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("mim.dicom.inbox.duplicates", "{instance}", "Instances received again; the first copy is kept");

    /// <summary>Instances moved to the failed folder.</summary>
    public static readonly Counter<long> Failed = Meter.CreateCounter<long>("mim.dicom.inbox.failed", "{instance}", "Instances that could not be filed");

    /// <summary>Journal group commits (one fdatasync round each); against <see cref="Stored"/> it shows how many
    /// instances each flush covered.</summary>
    public static readonly Counter<long> JournalFlushes = Meter.CreateCounter<long>("mim.dicom.inbox.journal.flushes", "{flush}", "Group commits of the inbox journal");

    /// <summary>Instances refused for lack of disk space.</summary>
    public static readonly Counter<long> OutOfResources = Meter.CreateCounter<long>("mim.dicom.inbox.out_of_resources", "{instance}", "Instances refused because free disk was below the threshold");
}
