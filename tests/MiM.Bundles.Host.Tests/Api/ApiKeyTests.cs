using System.Net;
using System.Net.Http.Headers;
using MiM.Bundles.Host.Api;
using Moq;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class ApiKeyTests
{
    private const string Key = "s3cret-key-of-20-chr";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("s3cret-key-of-20-chX")]
    [InlineData("s3cret-key-of-20-chr-and-more")]
    public async Task Missing_or_wrong_key_is_401_and_the_handler_never_runs(string? presented)
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(apiKey: Key));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/bundles/phantom-liver/unload", UriKind.Relative));
        if (presented is not null)
        {
            request.Headers.Add(ApiKeyCheck.HeaderName, presented);
        }

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        api.Control.VerifyNoOtherCalls();
        Assert.Empty(api.Audit.Events);
    }

    [Theory]
    [InlineData("/api/jobs")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Reads_need_the_key_too(string path)
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(apiKey: Key));

        using var response = await api.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Right_key_in_the_header_or_as_bearer_token_is_let_through()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(apiKey: Key));
        using var header = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/jobs", UriKind.Relative));
        header.Headers.Add(ApiKeyCheck.HeaderName, Key);
        using var bearer = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        bearer.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);

        using var byHeader = await api.Client.SendAsync(header);
        using var byBearer = await api.Client.SendAsync(bearer);

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
    }

    [Fact]
    public async Task Health_probes_answer_without_a_key()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(apiKey: Key));

        using var live = await api.Client.GetAsync(new Uri("/health/live", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }

    [Fact]
    public async Task Audit_line_says_the_caller_presented_the_key()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(apiKey: Key));
        api.Control.Setup(c => c.LoadAsync("phantom-liver", "api 127.0.0.1 (key)", It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/bundles/phantom-liver/load", UriKind.Relative));
        request.Headers.Add(ApiKeyCheck.HeaderName, Key);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("api 127.0.0.1 (key):", Assert.Single(api.Audit.Events).Detail, StringComparison.Ordinal);
    }
}
