using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Ready_is_200_when_listening_with_room_on_disk_and_a_bundle_serving()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(minimumFreeDiskBytes: 1));
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.0.0"));

        using var ready = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var report = await ready.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
        Assert.True(report.GetProperty("ready").GetBoolean());
        Assert.All(report.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public async Task Ready_flips_to_503_naming_the_disk_when_free_space_is_below_the_threshold()
    {
        // The same real disk: a threshold no volume reaches fails, a 1-byte one passes.
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(minimumFreeDiskBytes: long.MaxValue));
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.0.0"));

        using var ready = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var failing = await FailingChecksAsync(ready);
        Assert.Equal(["disk"], failing);
    }

    [Fact]
    public async Task Ready_is_503_naming_each_failing_check_when_the_scp_stopped_and_no_bundle_serves()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Listener.IsListening = false;
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.0.0") with { State = MiM.Bundles.Host.Catalog.BundleState.Failed, FailureReason = "warm-up threw" });

        using var ready = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(["listener", "bundles"], await FailingChecksAsync(ready));

        // And back: the same process reports ready once the SCP listens and a version serves.
        api.Listener.IsListening = true;
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.0.1"));
        using var again = await api.Client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task Live_is_200_even_when_not_ready()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(minimumFreeDiskBytes: long.MaxValue));
        api.Listener.IsListening = false;

        using var live = await api.Client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    private static async Task<string[]> FailingChecksAsync(HttpResponseMessage response)
    {
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
        Assert.False(report.GetProperty("ready").GetBoolean());
        return [.. report.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("name").GetString()!)];
    }
}
