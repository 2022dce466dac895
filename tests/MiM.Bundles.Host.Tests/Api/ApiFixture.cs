using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Host.Api;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Routing;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Serving;
using Moq;

namespace MiM.Bundles.Host.Tests.Api;

/// <summary>
/// A real <see cref="ApiServer"/> on a free loopback port (real Kestrel, real HTTP), with small in-test versions of the
/// pipeline's seams and a strict mock of the catalog's control side.
/// </summary>
internal sealed class ApiFixture : IAsyncDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private readonly ServiceProvider _services;

    private ApiFixture(ApiServer server, ServiceProvider services, HttpClient client)
    {
        Server = server;
        _services = services;
        Client = client;
    }

    public ApiServer Server { get; }

    public HttpClient Client { get; }

    public Mock<IBundleControl> Control { get; private init; } = null!;

    public RecordingAuditLog Audit { get; private init; } = null!;

    public ListenerState Listener { get; private init; } = null!;

    public StaticBundleListing Bundles { get; private init; } = null!;

    public InMemoryJobBoard Jobs { get; private init; } = null!;

    public InMemoryUnroutedLog Unrouted { get; private init; } = null!;

    public static ApiSettings Loopback(long minimumFreeDiskBytes = 1, string? apiKey = null) => new()
    {
        Url = "http://127.0.0.1:0",
        DataDirectory = Path.GetTempPath(),
        MinimumFreeDiskBytes = minimumFreeDiskBytes,
        ApiKey = apiKey,
    };

    public static async Task<ApiFixture> StartAsync(ApiSettings settings, IReadOnlyList<DestinationOptions>? destinations = null, DeviceScheduler? devices = null)
    {
        var control = new Mock<IBundleControl>(MockBehavior.Strict);
        var audit = new RecordingAuditLog();
        var listener = new ListenerState { IsListening = true };
        var bundles = new StaticBundleListing();
        var jobs = new InMemoryJobBoard();
        var unrouted = new InMemoryUnroutedLog();
        var collection = new ServiceCollection();
        if (devices is not null)
        {
            collection.AddSingleton(devices);
        }

        var services = collection
            .AddLogging()
            .AddSingleton(control.Object)
            .AddSingleton<IAuditLog>(audit)
            .AddSingleton<IDicomListenerState>(listener)
            .AddSingleton<IBundleListing>(bundles)
            .AddSingleton<IJobBoard>(jobs)
            .AddSingleton<IUnroutedSeriesLog>(unrouted)
            .AddSingleton(Options.Create(new DestinationsOptions { Destinations = destinations ?? [] }))
            .BuildServiceProvider();
        var server = new ApiServer(Options.Create(settings), services, services.GetRequiredService<ILoggerFactory>());
        await server.StartAsync(CancellationToken.None);
        var client = new HttpClient { BaseAddress = server.Addresses[0], Timeout = TimeSpan.FromSeconds(60) };
        return new ApiFixture(server, services, client)
        {
            Control = control,
            Audit = audit,
            Listener = listener,
            Bundles = bundles,
            Jobs = jobs,
            Unrouted = unrouted,
        };
    }

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(Json);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.StopAsync(CancellationToken.None);
        await Server.DisposeAsync();
        await _services.DisposeAsync();
    }
}

internal sealed class RecordingAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    public IReadOnlyList<AuditEvent> Events => [.. _events];

    public void Append(AuditEvent auditEvent) => _events.Enqueue(auditEvent);
}

internal sealed class ListenerState : IDicomListenerState
{
    public bool IsListening { get; set; }
}

internal sealed class StaticBundleListing : IBundleListing
{
    public List<BundleView> Views { get; } = [];

    public IReadOnlyList<BundleView> List() => [.. Views];

    public static BundleView Serving(string id, string version) => new(id, version, BundleState.Serving, null, null, "cpu", 0, $"/bundles/{id}-{version}");
}

internal sealed class InMemoryJobBoard : IJobBoard
{
    public List<JobView> Jobs { get; } = [];

    public IReadOnlyList<JobView> Recent(int max) => [.. Jobs.OrderByDescending(j => j.Created).Take(max)];

    public JobView? Find(string id) => Jobs.FirstOrDefault(j => j.Id == id);
}

internal sealed class InMemoryUnroutedLog : IUnroutedSeriesLog
{
    public List<UnroutedSeries> Series { get; } = [];

    public IReadOnlyList<UnroutedSeries> Recent(int max) => [.. Series.Take(max)];
}
