using System.Text.Json.Nodes;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Subscriptions;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Packaging.Repository;

namespace MiM.Bundles.Host.Tests.Subscriptions;

/// <summary>The hosted subscription service, its settings, and the index sequence it keeps across restarts.</summary>
public sealed class SubscriptionServiceTests
{
    [Fact]
    public async Task The_service_follows_a_folder_repository_and_serves_each_new_release_after_its_warm_up()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var catalog = await site.CatalogAsync();
        var settings = new SubscriptionSettings([new RepositorySubscription(site.Repo, site.TrustPath, [new BundlePolicy("bright-seg")])], TimeSpan.FromMilliseconds(200));
        using var service = new SubscriptionService(settings, catalog, site.Audit, NullLoggerFactory.Instance, TimeProvider.System);
        await service.StartAsync(CancellationToken.None);
        try
        {
            await Until(() => catalog.Serving("bright-seg")?.Version?.ToString() == "1.0.0");
            site.Publish(new TestBundle(version: "1.1.0"));
            await Until(() => catalog.Serving("bright-seg")?.Version?.ToString() == "1.1.0");
        }
        finally
        {
            await service.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["1.0.0", "1.1.0"], site.Audit.Of("bundle-installed").Select(e => e.BundleVersion));
        Assert.All(site.Audit.Of("bundle-installed"), e => Assert.StartsWith("file://", e.Destination, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_restart_an_older_validly_signed_index_replayed_by_the_repository_is_refused()
    {
        await using var site = new SubscribedSite();
        site.Publish(new TestBundle(version: "1.0.0"));
        var old = File.ReadAllBytes(Path.Combine(site.Repo, SignedIndex.FileName));
        site.Publish(new TestBundle(version: "1.1.0"));
        var catalog = await site.CatalogAsync();
        using (var follower = site.Follower(catalog, new BundlePolicy("bright-seg")))
        {
            Assert.Equal(FollowResult.Serving, Assert.Single(await follower.PollOnceAsync(CancellationToken.None)).Result);
        }

        File.WriteAllBytes(Path.Combine(site.Repo, SignedIndex.FileName), old);
        using var restarted = site.Follower(catalog, new BundlePolicy("bright-seg"));
        var outcome = Assert.Single(await restarted.PollOnceAsync(CancellationToken.None));

        Assert.Equal(FollowResult.Refused, outcome.Result);
        Assert.StartsWith("IndexRejected", outcome.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_read_repositories_and_policies_and_name_a_malformed_field()
    {
        using var document = JsonDocument.Parse("""
        { "Subscriptions": { "PollSeconds": 60, "Repositories": [
            { "Source": "https://repo.example/mim/", "Trust": "/etc/mim/trust",
              "Bundles": [ { "Id": "abdomen-ct-seg", "Channel": "candidate", "Range": "^1.0" }, { "Id": "mim-encoder", "Version": "1.0.0" } ] },
            { "Source": "/mnt/share/repo", "Trust": "/etc/mim/trust/acme.pub" } ] } }
        """);
        var settings = SubscriptionSettings.Read(document.RootElement);

        Assert.Equal(TimeSpan.FromMinutes(1), settings.PollInterval);
        Assert.Equal(2, settings.Repositories.Count);
        var web = settings.Repositories[0];
        Assert.False(web.IsFolder);
        Assert.Equal(ReleaseChannel.Candidate, web.Bundles[0].Channel);
        Assert.Equal("1.0.0", web.Bundles[1].Pinned!.ToString());
        Assert.True(settings.Repositories[1].IsFolder);
        Assert.Same(SubscriptionSettings.None, SubscriptionSettings.Read(JsonDocument.Parse("{}").RootElement));

        using var bad = JsonDocument.Parse("""{ "Subscriptions": { "Repositories": [ { "Source": "x", "Trust": "y", "Bundles": [ { "Id": "a", "Channel": "beta" } ] } ] } }""");
        var error = Assert.Throws<FormatException>(() => SubscriptionSettings.Read(bad.RootElement));
        Assert.Contains("Mim:Subscriptions:Repositories:0:Bundles:0:Channel", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_read_a_repository_tls_trust_file_and_refuse_one_that_does_not_exist()
    {
        var pem = Path.GetTempFileName();
        try
        {
            using var document = JsonDocument.Parse(Subscription(pem));
            Assert.Equal(pem, Assert.Single(SubscriptionSettings.Read(document.RootElement).Repositories).TlsTrust);

            using var missing = JsonDocument.Parse(Subscription("/nowhere/ca.pem"));
            var error = Assert.Throws<FormatException>(() => SubscriptionSettings.Read(missing.RootElement));
            Assert.Contains("Mim:Subscriptions:Repositories:0:TlsTrust: '/nowhere/ca.pem' does not exist", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(pem);
        }

        static string Subscription(string tlsTrust) => new JsonObject
        {
            ["Subscriptions"] = new JsonObject { ["Repositories"] = new JsonArray(new JsonObject { ["Source"] = "https://repo.example/mim/", ["Trust"] = "/etc/mim/trust", ["TlsTrust"] = tlsTrust }) },
        }.ToJsonString();
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 60 s");
            await Task.Delay(100);
        }
    }
}
