using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Subscriptions;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Host.Tests.Subscriptions;

/// <summary>
/// A subscribed host in-process: the real catalog, a follower of a real HTTP repository (StaticRepositoryServer) and
/// signed archives of the test plugin bundle.
/// </summary>
public sealed class RepositoryFollowerTests
{
    private static readonly BundlePolicy FollowBright = new("bright-seg", ReleaseChannel.Stable, "^1.0");

    [Fact]
    public async Task A_newly_published_version_is_installed_warmed_up_and_served_while_jobs_keep_running_on_the_old_one()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var catalog = await site.CatalogAsync();
        using var follower = site.Follower(catalog, FollowBright);

        var first = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));
        Assert.Equal(new FollowOutcome("bright-seg", "1.0.0", FollowResult.Serving), first);
        Assert.True(Directory.Exists(Path.Combine(site.Bundles, "bright-seg", "1.0.0", ".mimb")));

        await using (var jobs = new JobStream(catalog, "bright-seg"))
        {
            site.Publish(new TestBundle(version: "1.1.0"));
            var second = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));
            Assert.Equal(FollowResult.Serving, second.Result);
            Assert.Equal("1.1.0", catalog.Serving("bright-seg")!.Version!.ToString());
            await Task.Delay(200);
            await jobs.DisposeAsync();
            Assert.True(jobs.Failed == 0, jobs.Failures);
            Assert.True(jobs.Done > 0);
        }

        var third = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));
        Assert.Equal(FollowResult.UpToDate, third.Result);
        var installs = site.Audit.Of("bundle-installed");
        Assert.Equal(["1.0.0", "1.1.0"], installs.Select(e => e.BundleVersion));
        Assert.All(installs, e => Assert.Contains("signed by acme", e.Detail, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_version_whose_warm_up_fails_is_rolled_back_automatically_refused_and_not_retried_until_a_newer_one_appears()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var catalog = await site.CatalogAsync();
        using var follower = site.Follower(catalog, FollowBright);
        await follower.PollOnceAsync(CancellationToken.None);
        var old = catalog.Serving("bright-seg")!;

        await using (var jobs = new JobStream(catalog, "bright-seg"))
        {
            site.Publish(new TestBundle(kind: "fault-warmup", version: "1.1.0"));
            var outcome = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));
            Assert.Equal(FollowResult.RolledBack, outcome.Result);
            Assert.Contains("warm", outcome.Detail, StringComparison.OrdinalIgnoreCase);
            await Task.Delay(200);
            await jobs.DisposeAsync();
            Assert.True(jobs.Failed == 0, jobs.Failures);
            Assert.True(jobs.Done > 0);
        }

        Assert.Same(old, catalog.Serving("bright-seg"));
        Assert.Equal(BundleState.Serving, old.State);
        Assert.True(catalog.ControlFile.Read().IsRefused("bright-seg", "1.1.0"));
        var rollback = Assert.Single(site.Audit.Of("bundle-rollback"));
        Assert.Equal("1.1.0", rollback.BundleVersion);
        Assert.Contains("1.0.0 keeps serving", rollback.Detail, StringComparison.Ordinal);

        // Polled again: the refused release is neither downloaded nor installed again.
        Assert.Equal(FollowResult.SkippedRefused, Assert.Single(await follower.PollOnceAsync(CancellationToken.None)).Result);
        Assert.Equal(2, site.Audit.Of("bundle-installed").Count);

        site.Publish(new TestBundle(version: "1.2.0"));
        Assert.Equal(FollowResult.Serving, Assert.Single(await follower.PollOnceAsync(CancellationToken.None)).Result);

        // After a restart the refused version stays refused, and the newest good one serves.
        await using var restarted = new BundleCatalog(new BundleCatalogOptions { Directory = site.Bundles }, MiM.Bundles.Host.Loading.PluginLocator.LibOnly, Microsoft.Extensions.Logging.Abstractions.NullLogger<BundleCatalog>.Instance);
        await restarted.ScanAsync(CancellationToken.None);
        Assert.Equal("1.2.0", restarted.Serving("bright-seg")!.Version!.ToString());
    }

    [Fact]
    public async Task A_tampered_archive_is_refused_and_audited_and_nothing_is_installed()
    {
        await using var site = new SubscribedSite();
        var archive = site.Publish(new TestBundle(version: "1.0.0"));
        var bytes = File.ReadAllBytes(archive);
        bytes[bytes.Length / 2] ^= 0x55;
        File.WriteAllBytes(archive, bytes);
        var catalog = await site.CatalogAsync();
        using var follower = site.Follower(catalog, FollowBright);

        var outcome = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));
        Assert.Equal(FollowResult.Refused, outcome.Result);
        Assert.StartsWith("ChangedFile", outcome.Detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(site.Bundles, "bright-seg")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(site.Bundles, ".staging")));
        Assert.Null(catalog.Serving("bright-seg"));
        var refused = Assert.Single(site.Audit.Of("bundle-refused"));
        Assert.Equal("1.0.0", refused.BundleVersion);

        // Refused again at the next poll, but audited once.
        Assert.Equal(FollowResult.Refused, Assert.Single(await follower.PollOnceAsync(CancellationToken.None)).Result);
        Assert.Single(site.Audit.Of("bundle-refused"));
    }

    [Fact]
    public async Task An_index_signed_by_an_untrusted_key_is_refused_and_audited()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        using var stranger = PublisherSigningKey.Generate("stranger", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using (var trust = TrustStore.Load(site.TrustPath))
        {
            // The same release, indexed and signed by a key the site does not trust (a mirror lying about versions).
            File.Delete(Path.Combine(site.Repo, SignedIndex.FileName));
            new RepositoryPublisher(site.Repo, stranger, trust).Publish(site.Temp("bright-seg-1.0.0.mimb"), ReleaseChannel.Stable);
        }

        var catalog = await site.CatalogAsync();
        using var follower = site.Follower(catalog, FollowBright);
        var outcome = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));

        Assert.Equal(FollowResult.Refused, outcome.Result);
        Assert.StartsWith("UnknownKey", outcome.Detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(site.Bundles, "bright-seg")));
        var refused = Assert.Single(site.Audit.Of("bundle-refused"));
        Assert.Contains("index of", refused.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_changed_on_disk_after_installation_is_refused_on_load()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var first = await site.CatalogAsync();
        using (var follower = site.Follower(first, FollowBright))
        {
            await follower.PollOnceAsync(CancellationToken.None);
        }

        await first.DisposeAsync();
        File.AppendAllText(Path.Combine(site.Bundles, "bright-seg", "1.0.0", "configs", "selection.json"), " ");
        var second = await site.CatalogAsync();

        Assert.Null(second.Serving("bright-seg"));
        var failed = Assert.Single(second.Versions);
        Assert.StartsWith("refused (ChangedFile)", failed.FailureReason, StringComparison.Ordinal);
        Assert.Contains(site.Audit.Of("bundle-refused"), e => e.BundleVersion == "1.0.0");
    }

    [Fact]
    public async Task A_folder_not_installed_from_a_signed_archive_is_refused_when_the_host_serves_signed_bundles_only()
    {
        await using var site = new SubscribedSite();
        new TestBundle(version: "1.0.0").Write(Path.Combine(site.Bundles, "bright-seg", "1.0.0"));
        await using var catalog = new BundleCatalog(
            new BundleCatalogOptions { Directory = site.Bundles, Trust = TrustStore.Load(site.TrustPath), RequireSigned = true },
            MiM.Bundles.Host.Loading.PluginLocator.LibOnly,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<BundleCatalog>.Instance,
            audit: site.Audit);
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Null(catalog.Serving("bright-seg"));
        Assert.StartsWith("refused (NoSignature)", Assert.Single(catalog.Versions).FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_release_held_back_by_an_operator_pin_is_installed_but_serves_only_once_the_pin_is_removed()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var catalog = await site.CatalogAsync();
        using var follower = site.Follower(catalog, FollowBright);
        await follower.PollOnceAsync(CancellationToken.None);
        var control = site.Control(catalog);
        Assert.Equal("1.0.0", await control.PinAsync("bright-seg", "1.0.0", "api:admin", CancellationToken.None));

        site.Publish(new TestBundle(version: "1.1.0"));
        var outcome = Assert.Single(await follower.PollOnceAsync(CancellationToken.None));

        Assert.Equal(FollowResult.HeldBack, outcome.Result);
        Assert.StartsWith("held back: bright-seg is pinned to 1.0.0", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
        Assert.Equal("1.1.0", await control.PinAsync("bright-seg", null, "api:admin", CancellationToken.None));
    }
}
