using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiM.Bundles.Host.Api;
using MiM.Bundles.Host.Catalog;
using Moq;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class BundleEndpointTests
{
    [Fact]
    public async Task List_shows_each_version_with_state_failure_reason_and_pin()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.2.0") with { Pin = "^1.2" });
        api.Bundles.Views.Add(new BundleView("phantom-liver", "1.3.0", BundleState.Failed, "warm-up threw", "^1.2", null, 0, "/bundles/liver-1.3.0"));

        var list = await api.GetJsonAsync("/api/bundles");

        Assert.Equal(2, list.GetArrayLength());
        Assert.Equal("Serving", list[0].GetProperty("state").GetString());
        Assert.Equal("^1.2", list[0].GetProperty("pin").GetString());
        Assert.Equal("1.3.0", list[1].GetProperty("version").GetString());
        Assert.Equal("Failed", list[1].GetProperty("state").GetString());
        Assert.Equal("warm-up threw", list[1].GetProperty("failureReason").GetString());
    }

    [Fact]
    public async Task Pin_reaches_the_catalog_with_who_asked_and_is_audited()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.PinAsync("phantom-liver", "1.2.0", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("1.2.0");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/bundles/phantom-liver/pin", UriKind.Relative)) { Content = JsonContent.Create(new { version = "1.2.0" }) };
        request.Headers.Add(ApiCaller.RequestedByHeader, "alice");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
        Assert.Equal("1.2.0", body.GetProperty("serving").GetString());
        api.Control.Verify(c => c.PinAsync("phantom-liver", "1.2.0", It.Is<string>(by => by.StartsWith("api 127.0.0.1", StringComparison.Ordinal) && by.EndsWith("as alice", StringComparison.Ordinal)), It.IsAny<CancellationToken>()), Times.Once);
        var line = Assert.Single(api.Audit.Events);
        Assert.Equal("api-bundle-pin", line.Action);
        Assert.Equal("phantom-liver", line.BundleId);
        Assert.Equal("1.2.0", line.BundleVersion);
        Assert.Contains("as alice", line.Detail, StringComparison.Ordinal);
        Assert.Contains("pin 1.2.0: done", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shadow_reaches_the_catalog_answers_the_shadow_version_and_is_audited()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.ShadowAsync("phantom-liver", "1.3.0", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("1.3.0");

        using var response = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/shadow", UriKind.Relative), new { version = "1.3.0" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
        Assert.Equal("shadow", body.GetProperty("action").GetString());
        Assert.Equal("1.3.0", body.GetProperty("shadow").GetString());
        var line = Assert.Single(api.Audit.Events);
        Assert.Equal("api-bundle-shadow", line.Action);
        Assert.Contains("shadow 1.3.0: done", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promote_answers_the_new_serving_version_and_a_refused_promotion_is_409_with_the_reason()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.PromoteAsync("phantom-liver", "1.3.0", It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("1.3.0");
        api.Control.Setup(c => c.PromoteAsync("phantom-liver", "9.9.9", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("phantom-liver 9.9.9 is not installed (installed: 1.2.0, 1.3.0)"));

        using var promoted = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/promote", UriKind.Relative), new { version = "1.3.0" });
        using var refused = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/promote", UriKind.Relative), new { version = "9.9.9" });

        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("1.3.0", (await promoted.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json)).GetProperty("serving").GetString());
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("9.9.9 is not installed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["api-bundle-promote", "api-bundle-promote"], api.Audit.Events.Select(e => e.Action));
    }

    [Fact]
    public async Task Pin_with_a_null_version_removes_the_pin()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.PinAsync("phantom-liver", null, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("1.3.0");

        using var response = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/pin", UriKind.Relative), new { version = (string?)null });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("unpin", Assert.Single(api.Audit.Events).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_pin_is_400_and_the_refusal_is_audited()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.PinAsync("phantom-liver", "one-point-two", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new FormatException("\"one-point-two\" is neither a version nor a range"));

        using var response = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/pin", UriKind.Relative), new { version = "one-point-two" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("neither a version nor a range", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var line = Assert.Single(api.Audit.Events);
        Assert.Equal("api-bundle-pin", line.Action);
        Assert.Contains("refused", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unload_reaches_the_catalog_and_is_audited_with_nothing_serving_afterwards()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.2.0"));
        api.Control.Setup(c => c.UnloadAsync("phantom-liver", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => api.Bundles.Views[0] = api.Bundles.Views[0] with { State = BundleState.Unloaded })
            .Returns(Task.CompletedTask);

        using var response = await api.Client.PostAsync(new Uri("/api/bundles/phantom-liver/unload", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("serving").ValueKind);
        api.Control.Verify(c => c.UnloadAsync("phantom-liver", It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
        var line = Assert.Single(api.Audit.Events);
        Assert.Equal("api-bundle-unload", line.Action);
        Assert.Contains("serving nothing", line.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Load_reaches_the_catalog_and_is_audited()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.LoadAsync("phantom-liver", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Callback(() => api.Bundles.Views.Add(StaticBundleListing.Serving("phantom-liver", "1.2.0")))
            .Returns(Task.CompletedTask);

        using var response = await api.Client.PostAsync(new Uri("/api/bundles/phantom-liver/load", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1.2.0", Assert.Single(api.Audit.Events).BundleVersion);
    }

    [Fact]
    public async Task Rollback_without_a_body_goes_to_the_previous_version_and_is_audited()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.RollbackAsync("phantom-liver", null, It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync("1.1.0");

        using var response = await api.Client.PostAsync(new Uri("/api/bundles/phantom-liver/rollback", UriKind.Relative), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var line = Assert.Single(api.Audit.Events);
        Assert.Equal("api-bundle-rollback", line.Action);
        Assert.Equal("1.1.0", line.BundleVersion);
    }

    [Fact]
    public async Task Rollback_with_no_older_version_is_409_and_audited_as_refused()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());
        api.Control.Setup(c => c.RollbackAsync("phantom-liver", "0.9.0", It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("phantom-liver 0.9.0 is not installed"));

        using var response = await api.Client.PostAsJsonAsync(new Uri("/api/bundles/phantom-liver/rollback", UriKind.Relative), new { toVersion = "0.9.0" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("refused: phantom-liver 0.9.0 is not installed", Assert.Single(api.Audit.Events).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void View_of_a_catalog_version_carries_its_id_version_state_and_reason()
    {
        var version = new BundleVersion("/bundles/liver-1.2.0") { Id = "phantom-liver", Version = Semver.SemVersion.Parse("1.2.0", Semver.SemVersionStyles.Strict), State = BundleState.Failed, FailureReason = "bad weights" };

        var view = BundleView.Of(version, "^1.2");

        Assert.Equal(new BundleView("phantom-liver", "1.2.0", BundleState.Failed, "bad weights", "^1.2", null, 0, "/bundles/liver-1.2.0"), view);
    }
}
