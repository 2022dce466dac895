using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Jobs;

public sealed class JobStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static JobRecord Job(string series, string bundle, DateTimeOffset created) => new()
    {
        Id = JobRecord.IdOf(series, 1, bundle, "1.0.0"),
        StudyInstanceUid = "1.2.3",
        SeriesInstanceUid = series,
        Generation = 1,
        BundleId = bundle,
        BundleVersion = "1.0.0",
        Created = created,
        InstancePaths = ["/inbox/a.dcm"],
    };

    [Fact]
    public void A_reopened_store_hands_back_every_unfinished_job_with_its_stages_and_not_the_finished_ones()
    {
        var folder = _temp.Sub("jobs");
        var start = DateTimeOffset.Parse("2026-12-05T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var store = new JobStore(folder);
        var running = Job("1.2.3.4", "liver", start);
        var done = Job("1.2.3.5", "liver", start.AddMinutes(1));
        Assert.True(store.TryCreate(running));
        Assert.True(store.TryCreate(done));
        store.Update(running, j =>
        {
            j.State = JobState.Running;
            j.Stages.Add(new JobStageRecord { Name = JobStages.Inference, Started = start });
        });
        store.Update(done, j => j.State = JobState.Delivered);

        var reopened = new JobStore(folder);

        var unfinished = Assert.Single(reopened.Unfinished);
        Assert.Equal(running.Id, unfinished.Id);
        Assert.Equal(JobStages.Inference, Assert.Single(unfinished.Stages).Name);
        Assert.Null(unfinished.Stages[0].Ended);
        Assert.Equal(JobState.Delivered, reopened.Find(done.Id)!.State);
        Assert.Equal([done.Id, running.Id], reopened.Recent(10).Select(j => j.Id));
        Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
    }

    [Fact]
    public void A_kept_shadow_job_comes_back_after_a_reopen_with_its_agreement_and_is_not_taken_up_again()
    {
        var folder = _temp.Sub("jobs");
        var store = new JobStore(folder);
        var shadow = Job("1.2.3.6", "liver", DateTimeOffset.UnixEpoch);
        shadow.Shadow = true;
        shadow.ShadowOf = "serving-job";
        shadow.State = JobState.Kept;
        shadow.Agreement = new MiM.Bundles.Host.Shadow.ShadowAgreement("serving-job", "1.0.0", 0.75, new Dictionary<int, double> { [1] = 0.5, [2] = 1.0 });
        Assert.True(store.TryCreate(shadow));

        var reopened = new JobStore(folder);

        Assert.Empty(reopened.Unfinished);
        var view = reopened.Find(shadow.Id)!;
        Assert.True(view.Shadow);
        Assert.Equal("serving-job", view.ShadowOf);
        Assert.Equal(JobState.Kept, view.State);
        Assert.Equal(0.75, view.Agreement!.Agreement);
        Assert.Equal(0.5, view.Agreement.DicePerLabel![1]);
        Assert.Equal("1.0.0", view.Agreement.ServingVersion);
    }

    [Fact]
    public void The_same_series_generation_and_bundle_version_is_one_job_however_often_it_is_handed_on()
    {
        var store = new JobStore(_temp.Sub("jobs"));
        var now = DateTimeOffset.UtcNow;
        Assert.True(store.TryCreate(Job("1.2.3.4", "liver", now)));
        Assert.False(store.TryCreate(Job("1.2.3.4", "liver", now.AddSeconds(5))));
        Assert.True(store.TryCreate(Job("1.2.3.4", "lesion", now)));
        Assert.NotEqual(JobRecord.IdOf("1.2.3.4", 1, "liver", "1.0.0"), JobRecord.IdOf("1.2.3.4", 2, "liver", "1.0.0"));
        Assert.Equal(2, store.All.Count);
    }
}
