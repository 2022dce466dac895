using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Host.Api;
using MiM.Bundles.Host.Audit;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Configuration;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Routing;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Registers the serving pipeline of `mim serve` in a generic host: storage SCP → durable inbox → series assembler →
/// router → durable jobs → bundles (through the catalog) → SEG/SR writer → outbox → destinations. The REST API and
/// metrics register beside it and read the same singletons (<see cref="IJobBoard"/>, <see cref="IUnroutedSeriesLog"/>,
/// <see cref="IDicomListenerState"/>, <see cref="BundleCatalog"/>, <see cref="DicomOutbox"/>).
/// </summary>
public static class ServeServices
{
    /// <summary>Adds the pipeline; <paramref name="overrides"/> (command-line flags) apply after the settings file.</summary>
    public static IServiceCollection AddMimServing(this IServiceCollection services, IConfiguration configuration, PluginLocator locator, Action<ServeOptions>? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ServeOptions>()
            .Bind(configuration.GetSection(ServeOptions.Section))
            .PostConfigure(o => overrides?.Invoke(o))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServeOptions>, ServeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => new ServePaths(Path.GetFullPath(sp.GetRequiredService<IOptions<ServeOptions>>().Value.DataDirectory)));
        services.AddSingleton(sp =>
        {
            var serve = sp.GetRequiredService<IOptions<ServeOptions>>().Value;
            return new DurableInbox(
                new InboxOptions
                {
                    Root = sp.GetRequiredService<ServePaths>().Inbox,
                    MinimumFreeBytes = serve.MinimumFreeMegabytes << 20,
                    JournalSegmentBytes = serve.InboxJournalSegmentMegabytes << 20,
                },
                sp.GetRequiredService<ILogger<DurableInbox>>());
        });

        var bundles = BundleHostSettings.Read(configuration.GetSection("Mim"), "bundles");
        services.AddSingleton(bundles.Catalog);
        services.AddSingleton(locator);
        services.AddSingleton(DeviceScheduler.CpuOnly());
        services.AddSingleton(bundles.Workers);
        services.AddSingleton(sp => new BundleCatalog(
            sp.GetRequiredService<BundleCatalogOptions>(), sp.GetRequiredService<PluginLocator>(), sp.GetRequiredService<ILogger<BundleCatalog>>(), sp.GetRequiredService<DeviceScheduler>(),
            sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new BundleRunner(
            sp.GetRequiredService<BundleCatalog>(), sp.GetRequiredService<DeviceScheduler>(), sp.GetRequiredService<BundleWorkerOptions>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<SeriesDispatcher>();

        services.AddSingleton<SeriesRouter>();
        services.AddSingleton<UnroutedSeriesLog>(_ => new UnroutedSeriesLog());
        services.AddSingleton<IUnroutedSeriesLog>(sp => sp.GetRequiredService<UnroutedSeriesLog>());
        services.AddSingleton(sp => new JobStore(sp.GetRequiredService<ServePaths>().Jobs));
        services.AddSingleton<IJobBoard>(sp => sp.GetRequiredService<JobStore>());
        services.TryAddSingleton<IAuditLog>(sp => new JsonLinesAuditLog(sp.GetRequiredService<ServePaths>().AuditLog));

        services.AddSingleton(sp => new DestinationSender(sp.GetRequiredService<IOptions<ServeOptions>>().Value.Destinations, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ServeOptions>>().Value;
            return new DicomOutbox(
                new OutboxOptions
                {
                    Root = sp.GetRequiredService<ServePaths>().Outbox,
                    MaxAttempts = o.DeliveryAttempts,
                    RetryBaseDelay = TimeSpan.FromSeconds(o.DeliveryRetrySeconds),
                    HardLinkFiles = true,
                },
                o.Destinations.Select(d => ServeOptionsValidator.ToDestination(d, o.AeTitle)),
                sp.GetRequiredService<DestinationSender>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DicomOutbox>>());
        });
        services.AddSingleton<ResultWriter>();
        services.AddSingleton(configuration.GetSection(ShadowPolicy.Section).Get<ShadowPolicy>() ?? new ShadowPolicy());
        services.AddSingleton(sp => new ShadowPromoter(
            sp.GetRequiredService<ShadowPolicy>(),
            sp.GetRequiredService<JobStore>(),
            new BundleControl(sp.GetRequiredService<BundleCatalog>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BundleControl>>()),
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ShadowPromoter>>()));
        services.AddSingleton(sp => new ShadowReference(sp.GetRequiredService<ServePaths>().Results));
        services.AddSingleton<JobProcessor>();
        services.AddSingleton<SeriesIntake>();
        services.AddSingleton<AssemblerService>();
        services.AddSingleton<DicomListenerService>();
        services.AddSingleton<IDicomListenerState>(sp => sp.GetRequiredService<DicomListenerService>());
        services.AddSingleton<RetentionService>();

        // Started in this order, stopped in reverse: the SCP stops accepting first, then the assembler, the jobs
        // (within the grace period), the outbox, and the catalog last.
        services.AddHostedService<CatalogStartup>();
        services.AddHostedService<BundleCatalogService>();
        services.AddHostedService<OutboxService>();
        services.AddHostedService(sp => sp.GetRequiredService<JobProcessor>());
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddHostedService(sp => sp.GetRequiredService<AssemblerService>());
        services.AddHostedService<WatchedFolderService>();
        services.AddHostedService(sp => sp.GetRequiredService<DicomListenerService>());
        return services;
    }

    /// <summary>
    /// Adds what operators use beside the pipeline: bundle control (pins, rollback, unload, load) and listing, the
    /// repositories followed (<paramref name="subscriptions"/>), the REST API when "Mim:Api:Url" is set and not "off"
    /// (the shipped settings put it on 127.0.0.1:8044), and systemd integration with <paramref name="shutdownTimeout"/>.
    /// </summary>
    public static IServiceCollection AddMimOperations(this IServiceCollection services, IConfiguration configuration, Subscriptions.SubscriptionSettings subscriptions, TimeSpan shutdownTimeout)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(subscriptions);
        services.AddSingleton<IBundleControl>(sp => new BundleControl(
            sp.GetRequiredService<BundleCatalog>(), sp.GetRequiredService<IAuditLog>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BundleControl>>()));
        services.AddSingleton<IBundleListing>(sp =>
        {
            var catalog = sp.GetRequiredService<BundleCatalog>();
            return new CatalogBundleListing(catalog, id => catalog.Pins.PinOf(id)); // runtime pins included
        });
        services.AddSingleton<IOptions<DestinationsOptions>>(sp =>
        {
            var serve = sp.GetRequiredService<IOptions<ServeOptions>>().Value;
            return Options.Create(new DestinationsOptions
            {
                Destinations = [.. serve.Destinations.Select(d => new DestinationOptions
                {
                    Name = d.EffectiveName, AeTitle = d.AeTitle, Host = d.Host, Port = d.Port, CallingAeTitle = d.CallingAeTitle ?? serve.AeTitle,
                })],
            });
        });
        if (subscriptions.Repositories.Count > 0)
        {
            services.AddSingleton(subscriptions);
            services.AddHostedService<Subscriptions.SubscriptionService>();
        }

        var api = configuration.GetSection("Mim:Api").Get<Api.ApiSettings>();
        if (api is not null && !string.IsNullOrEmpty(api.Url) && !string.Equals(api.Url, "off", StringComparison.OrdinalIgnoreCase))
        {
            services.AddMimApi(sp => api with { DataDirectory = sp.GetRequiredService<ServePaths>().Root });
        }

        services.AddMimSystemd(shutdownTimeout);
        return services;
    }
}
