namespace MiM.Bundles.Host.Jobs;

/// <summary>The read side of the durable job records: what the REST API lists.</summary>
public interface IJobBoard
{
    /// <summary>The most recent jobs, newest first, at most <paramref name="max"/>.</summary>
    IReadOnlyList<JobView> Recent(int max);

    /// <summary>One job by id, or null when there is none.</summary>
    JobView? Find(string id);
}
