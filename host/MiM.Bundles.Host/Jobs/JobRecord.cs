using System.Security.Cryptography;
using System.Text;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Jobs;

/// <summary>One destination's share of a job: the outbox job that carries its results and how it ended.</summary>
public sealed class JobDelivery
{
    /// <summary>The outbox job id (null for a folder destination).</summary>
    public string? OutboxJob { get; set; }

    /// <summary>"queued", "delivered" or "dead-letter".</summary>
    public string State { get; set; } = "queued";

    /// <summary>Why it was dead-lettered.</summary>
    public string? Error { get; set; }

    /// <summary>When it was delivered or dead-lettered.</summary>
    public DateTimeOffset? Ended { get; set; }
}

/// <summary>One stage of a job as stored.</summary>
public sealed class JobStageRecord
{
    /// <summary>The stage name (load, inference, write, deliver).</summary>
    public string Name { get; set; } = "";

    /// <summary>When it started.</summary>
    public DateTimeOffset Started { get; set; }

    /// <summary>When it ended; null while it runs (or when a crash interrupted it).</summary>
    public DateTimeOffset? Ended { get; set; }

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// The durable record of one job, one (series, generation, bundle) pair, written before the assembler's hand-on is
/// acknowledged and rewritten at each stage. Carries UIDs and AE titles, never patient names or IDs.
/// </summary>
public sealed class JobRecord
{
    /// <summary>The job id: derived from series, generation, bundle id and routed version, so a repeated hand-on finds the same job.</summary>
    public string Id { get; set; } = "";

    /// <summary>The source study.</summary>
    public string StudyInstanceUid { get; set; } = "";

    /// <summary>The source series.</summary>
    public string SeriesInstanceUid { get; set; } = "";

    /// <summary>The assembler's generation of the series (late arrivals make a new one).</summary>
    public int Generation { get; set; }

    /// <summary>The bundle id.</summary>
    public string BundleId { get; set; } = "";

    /// <summary>The version the router chose; <see cref="RanVersion"/> is the one that ran (they differ only across a switch).</summary>
    public string BundleVersion { get; set; } = "";

    /// <summary>The version that ran it, once it ran.</summary>
    public string? RanVersion { get; set; }

    /// <summary>The AE titles that sent the series.</summary>
    public List<string> CallingAeTitles { get; set; } = [];

    /// <summary>The source instances in the inbox.</summary>
    public List<string> InstancePaths { get; set; } = [];

    /// <summary>Where it stands.</summary>
    public JobState State { get; set; } = JobState.Queued;

    /// <summary>When it was written down.</summary>
    public DateTimeOffset Created { get; set; }

    /// <summary>Each stage so far.</summary>
    public List<JobStageRecord> Stages { get; set; } = [];

    /// <summary>The SOP Instance UIDs of its results.</summary>
    public List<string> ResultSopInstanceUids { get; set; } = [];

    /// <summary>The result files (under the data folder's results/).</summary>
    public List<string> ResultFiles { get; set; } = [];

    /// <summary>Per destination name: how its delivery stands.</summary>
    public Dictionary<string, JobDelivery> Deliveries { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Why it failed.</summary>
    public string? Error { get; set; }

    /// <summary>True for a shadow candidate's job: its result stays on the host and is compared with <see cref="ShadowOf"/>'s.</summary>
    public bool Shadow { get; set; }

    /// <summary>A shadow job's serving job (same series and generation, the serving version of the same bundle id).</summary>
    public string? ShadowOf { get; set; }

    /// <summary>A shadow job's agreement with its serving job, once both results existed.</summary>
    public ShadowAgreement? Agreement { get; set; }

    /// <summary>When it reached Delivered, Kept or Failed.</summary>
    public DateTimeOffset? Finished { get; set; }

    /// <summary>The processing group: the jobs of one series generation run together (one encoder pass for all heads).</summary>
    public string GroupKey => $"{SeriesInstanceUid}#{Generation}";

    /// <summary>True once its results are in the outbox or the output folder: a restart waits for delivery instead of re-running it.</summary>
    public bool Handed => Stages.Any(s => s.Name == JobStages.Deliver);

    /// <summary>The id of the job of (series, generation, bundle id, version).</summary>
    public static string IdOf(string seriesInstanceUid, int generation, string bundleId, string bundleVersion)
    {
        var text = $"{seriesInstanceUid.Length}:{seriesInstanceUid};{generation};{bundleId.Length}:{bundleId};{bundleVersion}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 10));
    }

    /// <summary>What the API shows.</summary>
    public JobView ToView() => new(
        Id,
        StudyInstanceUid,
        SeriesInstanceUid,
        BundleId,
        RanVersion ?? BundleVersion,
        State,
        Created,
        [.. Stages.Select(s => new JobStageView(s.Name, s.Started, s.Ended, s.Error))],
        [.. ResultSopInstanceUids],
        Error,
        Shadow,
        ShadowOf,
        Agreement);
}

/// <summary>The names of the stages a job goes through.</summary>
public static class JobStages
{
    /// <summary>DICOM series to Volume.</summary>
    public const string Load = "load";

    /// <summary>The bundle (encoder pass shared with other heads, then the head).</summary>
    public const string Inference = "inference";

    /// <summary>The SEG or SR writer.</summary>
    public const string Write = "write";

    /// <summary>A shadow job: its result compared with the serving job's (it is never handed on).</summary>
    public const string Compare = "compare";

    /// <summary>Handed to the outbox (and the output folder) until every destination acknowledged.</summary>
    public const string Deliver = "deliver";
}
