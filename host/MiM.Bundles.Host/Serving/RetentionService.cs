using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Host.Jobs;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Removes what finished jobs leave: their source instances (through the inbox, which forgets their UIDs), their
/// results and their records — those older than <see cref="ServeOptions.RetentionDays"/>, then, oldest first, as many
/// as it takes to bring instances and results under <see cref="ServeOptions.RetentionMaxGigabytes"/>. Never an instance
/// that an unfinished job reads, never a result still in the outbox (the outbox holds its own copy).
/// </summary>
public sealed class RetentionService(JobStore jobs, DurableInbox inbox, ServePaths paths, IOptions<ServeOptions> options, TimeProvider time, ILogger<RetentionService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    /// <summary>One pass; returns the number of jobs removed.</summary>
    public int RunOnce()
    {
        var o = options.Value;
        var finished = jobs.All.Where(j => j.State is JobState.Delivered or JobState.Kept or JobState.Failed).OrderBy(j => j.Finished ?? j.Created).ToList();
        var inUse = jobs.Unfinished.SelectMany(j => j.InstancePaths).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var budget = o.RetentionMaxGigabytes > 0 ? (long)(o.RetentionMaxGigabytes * (1L << 30)) : long.MaxValue;
        var used = budget == long.MaxValue ? 0 : FolderBytes(inbox.InstancesFolder) + FolderBytes(paths.Results);
        var removed = 0;
        long freed = 0;
        foreach (var job in finished)
        {
            var old = o.RetentionDays > 0 && now - (job.Finished ?? job.Created) > TimeSpan.FromDays(o.RetentionDays);
            if (!old && used - freed <= budget)
            {
                break;
            }

            freed += Remove(job, inUse);
            removed++;
        }

        if (removed > 0)
        {
            ServeLog.Retained(logger, removed, freed / 1048576.0);
        }

        return removed;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                RunOnce();
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (IOException)
            {
                // A file another process holds: the next pass tries again.
                await Task.Delay(Interval, time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private long Remove(JobRecord job, HashSet<string> inUse)
    {
        long freed = 0;
        // Other finished jobs of the same series share these instances; removing them is what the age or the budget asks.
        foreach (var path in job.InstancePaths.Where(p => !inUse.Contains(p)))
        {
            if (File.Exists(path))
            {
                freed += new FileInfo(path).Length;
                inbox.Remove(Path.GetFileNameWithoutExtension(path));
            }
        }

        var results = Path.Combine(paths.Results, job.Id);
        if (Directory.Exists(results))
        {
            freed += FolderBytes(results);
            Directory.Delete(results, recursive: true);
        }

        jobs.Delete(job);
        return freed;
    }

    private static long FolderBytes(string folder) => Directory.Exists(folder)
        ? Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length)
        : 0;
}
