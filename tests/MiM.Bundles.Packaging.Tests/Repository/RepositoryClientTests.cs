using System.Net;
using System.Net.Http.Headers;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Repository;
using Semver;

namespace MiM.Bundles.Packaging.Tests.Repository;

/// <summary>The client against the static server, both in-process on 127.0.0.1.</summary>
public sealed class RepositoryClientTests : IAsyncLifetime, IDisposable
{
    private readonly RepositoryFixture fixture = new();
    private readonly HttpClient http = new();
    private StaticRepositoryServer? server;

    public Task InitializeAsync()
    {
        fixture.Publish("abdomen-ct-seg", "1.0.0");
        fixture.Publish("abdomen-ct-seg", "1.1.0");
        fixture.Publish("abdomen-ct-seg", "1.2.0-rc.1", ReleaseChannel.Candidate);
        server = StaticRepositoryServer.Start(fixture.Repo, 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    public void Dispose()
    {
        http.Dispose();
        fixture.Dispose();
    }

    private RepositoryClient Client() => new(http, server!.Address, fixture.Publisher.Trust(), fixture.Publisher.Clock);

    private BundleInstaller Installer() => new(fixture.Temp["bundles"], fixture.Publisher.Trust(), clock: fixture.Publisher.Clock);

    [Fact]
    public async Task Sync_installs_the_newest_stable_release_within_the_range()
    {
        var outcome = Assert.Single(await Client().SyncAsync([new BundlePolicy("abdomen-ct-seg", ReleaseChannel.Stable, "^1.0")], Installer(), CancellationToken.None));

        Assert.Equal("1.1.0", outcome.Version);
        Assert.True(outcome.Installed);
        Installer().VerifyInstalled(outcome.Directory!);
        Assert.Empty(Directory.GetFiles(fixture.Temp["bundles/.staging"]));
    }

    [Fact]
    public async Task A_second_sync_with_nothing_new_installs_nothing()
    {
        var client = Client();
        var policies = new[] { new BundlePolicy("abdomen-ct-seg", ReleaseChannel.Candidate, "^1.0") };
        await client.SyncAsync(policies, Installer(), CancellationToken.None);

        var outcome = Assert.Single(await client.SyncAsync(policies, Installer(), CancellationToken.None));

        Assert.Equal("1.2.0-rc.1", outcome.Version);
        Assert.False(outcome.Installed);
    }

    [Fact]
    public async Task A_pinned_older_version_installs_beside_a_newer_one()
    {
        var client = Client();
        await client.SyncAsync([new BundlePolicy("abdomen-ct-seg")], Installer(), CancellationToken.None);

        var outcome = Assert.Single(await client.SyncAsync([new BundlePolicy("abdomen-ct-seg") { Pinned = SemVersion.Parse("1.0.0", SemVersionStyles.Strict) }], Installer(), CancellationToken.None));

        Assert.True(outcome.Installed);
        Assert.Equal(2, Installer().InstalledVersions("abdomen-ct-seg").Count);
    }

    [Fact]
    public async Task Polling_an_unchanged_index_gets_a_304()
    {
        var client = Client();

        Assert.True(await client.PollAsync(CancellationToken.None));
        Assert.False(await client.PollAsync(CancellationToken.None));
        fixture.Publish("abdomen-ct-seg", "1.3.0");
        Assert.True(await client.PollAsync(CancellationToken.None));
        Assert.Equal(4, client.Current!.Sequence);
    }

    [Fact]
    public async Task The_server_answers_etag_and_if_none_match()
    {
        using var first = await http.GetAsync(new Uri(server!.Address, "index.json"));
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, "index.json"));
        request.Headers.IfNoneMatch.Add(etag);
        using var second = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("%2e%2e/%2e%2e/etc/passwd")]
    [InlineData(".index.json.tmp")]
    [InlineData("")]
    [InlineData("nothing-here.mimb")]
    public async Task The_server_serves_nothing_outside_the_repository_files(string path)
    {
        File.WriteAllText(Path.Combine(fixture.Repo, ".index.json.tmp"), "half");
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, server!.Address.Port);
        var stream = client.GetStream();
        // Raw request: HttpClient would normalise the "..".
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"GET /{path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
        var reply = await new StreamReader(stream).ReadToEndAsync();

        Assert.StartsWith("HTTP/1.1 4", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_changed_on_the_server_is_refused()
    {
        var indexPath = Path.Combine(fixture.Repo, "index.json");
        File.WriteAllText(indexPath, File.ReadAllText(indexPath).Replace("\"sequence\": 3", "\"sequence\": 30", StringComparison.Ordinal));

        var refusal = await Assert.ThrowsAsync<BundleRefusedException>(() => Client().PollAsync(CancellationToken.None));

        Assert.Equal(RefusalReason.BadSignature, refusal.Reason);
    }

    [Fact]
    public async Task An_older_signed_index_replayed_after_a_newer_one_is_refused()
    {
        var indexPath = Path.Combine(fixture.Repo, "index.json");
        var old = File.ReadAllBytes(indexPath);
        var client = Client();
        fixture.Publish("abdomen-ct-seg", "1.3.0");
        await client.PollAsync(CancellationToken.None);
        File.WriteAllBytes(indexPath, old);

        var refusal = await Assert.ThrowsAsync<BundleRefusedException>(() => client.PollAsync(CancellationToken.None));

        Assert.Equal(RefusalReason.IndexRejected, refusal.Reason);
    }

    [Fact]
    public async Task An_index_older_than_the_sequence_a_host_remembered_is_refused_on_the_first_poll()
    {
        var client = new RepositoryClient(http, server!.Address, fixture.Publisher.Trust(), fixture.Publisher.Clock, knownSequence: 10);

        var refusal = await Assert.ThrowsAsync<BundleRefusedException>(() => client.PollAsync(CancellationToken.None));

        Assert.Equal(RefusalReason.IndexRejected, refusal.Reason);
    }

    [Fact]
    public async Task An_archive_swapped_on_the_server_is_refused_and_nothing_is_installed()
    {
        var archive = Path.Combine(fixture.Repo, "abdomen-ct-seg-1.1.0.mimb");
        var bytes = File.ReadAllBytes(archive);
        bytes[^100] ^= 1;
        File.WriteAllBytes(archive, bytes);

        var refusal = await Assert.ThrowsAsync<BundleRefusedException>(() => Client().SyncAsync([new BundlePolicy("abdomen-ct-seg")], Installer(), CancellationToken.None));

        Assert.Equal(RefusalReason.ChangedFile, refusal.Reason);
        Assert.False(Directory.Exists(fixture.Temp["bundles/abdomen-ct-seg"]));
        Assert.Empty(Directory.GetFiles(fixture.Temp["bundles/.staging"]));
    }

    [Fact]
    public async Task Head_returns_the_length_without_a_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri(server!.Address, "abdomen-ct-seg-1.0.0.mimb"));
        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new FileInfo(Path.Combine(fixture.Repo, "abdomen-ct-seg-1.0.0.mimb")).Length, response.Content.Headers.ContentLength);
        Assert.Equal(new MediaTypeHeaderValue("application/octet-stream"), response.Content.Headers.ContentType);
    }
}
