namespace MiM.Bundles.Host.Tests.Api;

public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApi_document_describes_every_route()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback());

        var document = await api.GetJsonAsync("/openapi/v1.json");

        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        string[] expected =
        [
            "/health/live", "/health/ready", "/api/bundles", "/api/bundles/{id}/pin", "/api/bundles/{id}/unload", "/api/bundles/{id}/load",
            "/api/bundles/{id}/rollback", "/api/jobs", "/api/jobs/{id}", "/api/destinations", "/api/destinations/{name}/echo", "/api/series/unrouted",
        ];
        Assert.All(expected, path => Assert.Contains(path, paths));
    }
}
