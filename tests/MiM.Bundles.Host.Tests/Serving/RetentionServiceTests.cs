using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Serving;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Serving;

public sealed class RetentionServiceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Old_finished_jobs_go_with_their_instances_and_results_but_never_what_an_unfinished_job_reads()
    {
        var paths = new ServePaths(_temp.Sub("data"));
        using var inbox = new DurableInbox(new InboxOptions { Root = paths.Inbox, MinimumFreeBytes = 0 });
        var source = _temp.Sub("drop");
        TestInstances.MakeCt(source, 3, size: 16);

        var options = Options.Create(new ServeOptions { WatchFolder = source, RetentionDays = 30 });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var folder = new WatchedFolderService(inbox, options, clock, NullLogger<WatchedFolderService>.Instance);
        Assert.Equal(0, await folder.ImportOnceAsync(CancellationToken.None)); // first seen: not settled yet
        clock.Advance(WatchedFolderService.Settle);
        Assert.Equal(3, await folder.ImportOnceAsync(CancellationToken.None));
        var stored = inbox.EnumerateCommitted().OrderBy(i => i.SopInstanceUid, StringComparer.Ordinal).ToList();
        Assert.Equal(3, stored.Count);

        var jobs = new JobStore(paths.Jobs);
        var now = DateTimeOffset.UtcNow;
        var old = Job("old", [stored[0].FilePath, stored[1].FilePath], JobState.Delivered, now.AddDays(-40));
        var running = Job("running", [stored[1].FilePath], JobState.Running, null);
        var recent = Job("recent", [stored[2].FilePath], JobState.Failed, now.AddDays(-1));
        foreach (var job in (JobRecord[])[old, running, recent])
        {
            jobs.TryCreate(job);
            Directory.CreateDirectory(Path.Combine(paths.Results, job.Id));
            File.WriteAllText(Path.Combine(paths.Results, job.Id, "result.dcm"), "x");
        }

        var retention = new RetentionService(jobs, inbox, paths, options, TimeProvider.System, NullLogger<RetentionService>.Instance);
        Assert.Equal(1, retention.RunOnce());

        Assert.Null(jobs.Get(old.Id));
        Assert.False(Directory.Exists(Path.Combine(paths.Results, old.Id)));
        Assert.False(File.Exists(stored[0].FilePath));
        Assert.Null(inbox.Find(stored[0].SopInstanceUid));
        Assert.True(File.Exists(stored[1].FilePath)); // the running job reads it
        Assert.NotNull(inbox.Find(stored[1].SopInstanceUid));
        Assert.NotNull(jobs.Get(recent.Id));

        // A disk budget smaller than what is left removes the recent finished job too, still sparing the running one.
        options.Value.RetentionMaxGigabytes = 1e-9;
        Assert.Equal(1, retention.RunOnce());
        Assert.Null(jobs.Get(recent.Id));
        Assert.False(File.Exists(stored[2].FilePath));
        Assert.True(File.Exists(stored[1].FilePath));
        Assert.NotNull(jobs.Get(running.Id));
        Assert.Equal(0, retention.RunOnce());
    }

    private static JobRecord Job(string bundle, List<string> paths, JobState state, DateTimeOffset? finished) => new()
    {
        Id = JobRecord.IdOf("1.2.3", 1, bundle, "1.0.0"),
        StudyInstanceUid = "1.2",
        SeriesInstanceUid = "1.2.3",
        Generation = 1,
        BundleId = bundle,
        BundleVersion = "1.0.0",
        State = state,
        Created = (finished ?? DateTimeOffset.UtcNow).AddMinutes(-5),
        Finished = finished,
        InstancePaths = paths,
    };
}
