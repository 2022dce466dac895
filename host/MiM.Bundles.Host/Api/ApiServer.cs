using System.Net;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Routing;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Serving;
using OpenTelemetry.Metrics;

namespace MiM.Bundles.Host.Api;

/// <summary>
/// The REST API as one hosted service of the serving host: it builds its own Kestrel server (so the pipeline's generic
/// host needs no web stack of its own) and reads the pipeline through its seams — catalog listing and control, job
/// board, unrouted series, listener state, audit log, destinations — taken from the host's services at start.
/// Also serves /metrics (every "MiM.Bundles*" meter in Prometheus text format) and /openapi/v1.json.
/// </summary>
public sealed class ApiServer : IHostedService, IAsyncDisposable
{
    /// <summary>Meters whose names match are exported on /metrics.</summary>
    public const string MeterPattern = "MiM.Bundles*";

    /// <summary>
    /// The runtime's own meter (.NET 9+: working set, GC heap after the last collection, collections, thread pool), also
    /// exported: a host that runs for months is watched for memory growth.
    /// </summary>
    public const string RuntimeMeter = "System.Runtime";

    private readonly ApiSettings _settings;
    private readonly IServiceProvider _host;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private WebApplication? _app;
    private CatalogMetrics? _catalogMetrics;

    /// <summary>Creates the server; nothing listens before <see cref="StartAsync"/>.</summary>
    /// <param name="settings">Address, TLS, key, disk threshold.</param>
    /// <param name="host">The serving host's services, where the seams are registered.</param>
    /// <param name="loggerFactory">The host's logging, which the API's requests log to as well.</param>
    public ApiServer(IOptions<ApiSettings> settings, IServiceProvider host, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _settings = settings.Value;
        _host = host;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ApiServer>();
    }

    /// <summary>The addresses the API listens on once started (the real port when the URL asked for 0).</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>Validates the settings (refusing to start with a message naming the setting), binds and starts serving.</summary>
    /// <exception cref="OptionsValidationException">A setting is wrong or the address is not loopback without TLS and key.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var failures = ApiSettingsValidation.Check(_settings);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException("Api", typeof(ApiSettings), failures);
        }

        var listing = _host.GetRequiredService<IBundleListing>();
        _catalogMetrics = new CatalogMetrics(listing, _host.GetService<DeviceScheduler>());
        var app = Build();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        Addresses = [.. app.Urls.Select(u => new Uri(u))];
        var addresses = string.Join(", ", Addresses);
        var keyState = _settings.ApiKey is null ? "not asked" : "asked";
        ApiLog.Listening(_logger, addresses, keyState);
    }

    /// <summary>Stops taking requests and lets those in flight finish within the host's shutdown time.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is { } app)
        {
            await app.StopAsync(cancellationToken).ConfigureAwait(false);
            ApiLog.Stopped(_logger);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_app is { } app)
        {
            await app.DisposeAsync().ConfigureAwait(false);
            _app = null;
        }

        _catalogMetrics?.Dispose();
        _catalogMetrics = null;
    }

    private WebApplication Build()
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });

        // The API is configured by ApiSettings alone: no ASPNETCORE_URLS, Kestrel section or appsettings.json of
        // whatever folder the process started in may change where it listens.
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Services.Replace(ServiceDescriptor.Singleton(_loggerFactory));
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(Listen);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPattern)
            .AddMeter(RuntimeMeter)
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        Bridge(builder.Services);

        var app = builder.Build();
        var keys = app.Services.GetRequiredService<ApiKeyCheck>();
        var logger = _loggerFactory.CreateLogger<ApiServer>();
        app.Use(async (context, next) =>
        {
            if (!keys.Allows(context.Request))
            {
                ApiLog.Unauthorised(logger, context.Connection.RemoteIpAddress?.ToString() ?? "?", context.Request.Path.Value ?? string.Empty);
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await Results.Problem(title: "API key required", detail: $"send the key in the {ApiKeyCheck.HeaderName} header", statusCode: StatusCodes.Status401Unauthorized)
                    .ExecuteAsync(context).ConfigureAwait(false);
                return;
            }

            await next(context).ConfigureAwait(false);
        });
        app.MapHealthEndpoints();
        app.MapBundleEndpoints();
        app.MapJobEndpoints();
        app.MapDestinationEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>The API's container hands out the serving host's seams; it owns only what is the API's.</summary>
    private void Bridge(IServiceCollection services)
    {
        services.AddSingleton(_settings);
        services.AddSingleton(new ApiKeyCheck(_settings.ApiKey));
        services.AddSingleton(_host.GetService<TimeProvider>() ?? TimeProvider.System);
        services.AddSingleton(_host.GetRequiredService<IBundleListing>());
        services.AddSingleton(_host.GetRequiredService<IBundleControl>());
        services.AddSingleton(_host.GetRequiredService<IJobBoard>());
        services.AddSingleton(_host.GetRequiredService<IUnroutedSeriesLog>());
        services.AddSingleton(_host.GetRequiredService<IDicomListenerState>());
        services.AddSingleton(_host.GetRequiredService<IAuditLog>());
        services.AddSingleton(_host.GetService<IOptions<DestinationsOptions>>() ?? Options.Create(new DestinationsOptions()));
        services.AddSingleton(new DestinationEcho(_host.GetService<DicomScuOptions>(), _loggerFactory.CreateLogger<DicomScu>()));
        services.AddSingleton<ReadinessProbe>();
        services.AddSingleton<BundleOperations>();
    }

    private void Listen(KestrelServerOptions kestrel)
    {
        kestrel.AddServerHeader = false;
        if (!ApiAddress.TryParse(_settings.Url, out var address, out var error))
        {
            throw new OptionsValidationException("Api", typeof(ApiSettings), [error!]); // checked at start; kept for the compiler
        }

        var certificate = address!.Https ? ApiCertificate.Load(_settings.CertificateFile!, _settings.CertificateKeyFile) : null;
        void Endpoint(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }

        if (address.IsLocalhost)
        {
            kestrel.ListenLocalhost(address.Port, Endpoint);
        }
        else if (address.Address.Equals(IPAddress.IPv6Any))
        {
            kestrel.ListenAnyIP(address.Port, Endpoint);
        }
        else
        {
            kestrel.Listen(address.Address, address.Port, Endpoint);
        }
    }
}
