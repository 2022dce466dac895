using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MiM.Bundles.Cli.Commands.Bundles;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Serving;
using MiM.Bundles.Host.Subscriptions;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim serve`: the long-running host. CT comes in over DICOM (or a watched folder), each series goes to the bundles
/// whose selection rules take it, and the SEG/SR results go to the configured destinations (or a folder). Settings come
/// from configs/appsettings.json ("Mim:Serve", "Mim:BundleDirectory", "Mim:Bundles"), then environment variables
/// (MIM_Mim__Serve__Port …), then these flags. Stops cleanly on SIGTERM or Ctrl+C.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "Settings file (default: configs/appsettings.json next to the executable)." };
        var aet = new Option<string?>("--aet") { Description = "Our AE title (Mim:Serve:AeTitle)." };
        var port = new Option<int?>("--port") { Description = "DICOM port (Mim:Serve:Port); 0 takes any free port, printed at start." };
        var bind = new Option<string?>("--bind") { Description = "Address the DICOM port listens on (Mim:Serve:BindAddress)." };
        var bundles = new Option<DirectoryInfo?>("--bundles") { Description = "The watched bundle directory (Mim:BundleDirectory)." };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Where the host keeps inbox, jobs, results, outbox and audit log (Mim:Serve:DataDirectory)." };
        var api = new Option<string?>("--api") { Description = "Address of the REST API (Mim:Api:Url): http://127.0.0.1:8044 in the shipped settings, port 0 picks a free one, \"off\" runs none. Any address but loopback needs TLS and an API key (Mim:Api)." };
        var destinations = new Option<string[]>("--destination") { Description = "Send results to AE@host:port; repeat for several (replaces Mim:Serve:Destinations).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<DirectoryInfo?>("--output") { Description = "Also copy each result into this folder (Mim:Serve:OutputFolder)." };
        var watch = new Option<DirectoryInfo?>("--watch") { Description = "Take DICOM files dropped into this folder (Mim:Serve:WatchFolder)." };
        var quiet = new Option<double?>("--quiet-seconds") { Description = "A series is complete after this long without a new instance (Mim:Serve:QuietPeriodSeconds)." };
        var command = new Command("serve", "Run the bundle host: storage SCP → inbox → series assembler → router → bundles → DICOM-SEG/SR → outbox → destinations.");
        foreach (var option in (Option[])[config, aet, port, bind, bundles, data, api, destinations, output, watch, quiet])
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = parse.GetValue(config)?.FullName ?? Path.Combine(AppContext.BaseDirectory, "configs", "appsettings.json");
            if (parse.GetValue(config) is { Exists: false } missing)
            {
                Console.Error.WriteLine($"E: --config {missing.FullName}: no such file");
                return 2;
            }

            List<ServeDestination> flagged;
            try
            {
                flagged = [.. (parse.GetValue(destinations) ?? []).Select(ServeDestination.Parse)];
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine($"E: --destination: {e.Message}");
                return 2;
            }

            var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (parse.GetValue(bundles) is { } b)
            {
                overrides["Mim:BundleDirectory"] = b.FullName;
            }

            if (parse.GetValue(api) is { } a)
            {
                overrides["Mim:Api:Url"] = a;
            }

            void Flags(ServeOptions o)
            {
                o.AeTitle = parse.GetValue(aet) ?? o.AeTitle;
                o.Port = parse.GetValue(port) ?? o.Port;
                o.BindAddress = parse.GetValue(bind) ?? o.BindAddress;
                o.DataDirectory = parse.GetValue(data)?.FullName ?? o.DataDirectory;
                o.OutputFolder = parse.GetValue(output)?.FullName ?? o.OutputFolder;
                o.WatchFolder = parse.GetValue(watch)?.FullName ?? o.WatchFolder;
                o.QuietPeriodSeconds = parse.GetValue(quiet) ?? o.QuietPeriodSeconds;
                if (flagged.Count > 0)
                {
                    o.Destinations = flagged;
                }
            }

            return RunAsync(settings, overrides, Flags).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>Builds the generic host; the REST API registers into the same builder.</summary>
    internal static IHost Build(string settingsFile, IReadOnlyDictionary<string, string?> overrides, Action<ServeOptions> flags)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = Directory.GetCurrentDirectory() });
        if (File.Exists(settingsFile))
        {
            builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: false);
        }

        builder.Configuration.AddEnvironmentVariables("MIM_");
        builder.Configuration.AddInMemoryCollection(overrides);
        if (string.IsNullOrEmpty(builder.Configuration["Mim:BundleDirectory"]))
        {
            // The same default as the bundle verbs: MIM_BUNDLE_DIR, else ~/.mim/bundles.
            builder.Configuration.AddInMemoryCollection([new("Mim:BundleDirectory", MimPaths.Resolve(Environment.GetEnvironmentVariable).BundleDirectory)]);
        }

        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        var grace = builder.Configuration.GetValue($"{ServeOptions.Section}:StopGraceSeconds", 30.0);
        builder.Services.AddMimServing(builder.Configuration, StandardPlugins.Locator(), flags);
        builder.Services.AddMimOperations(builder.Configuration, Subscriptions(settingsFile), TimeSpan.FromSeconds(grace + 15));
        return builder.Build();
    }

    /// <summary>The "Mim:Subscriptions" of the settings file (read as JSON, as `mim bundle list` reads it).</summary>
    private static SubscriptionSettings Subscriptions(string settingsFile)
    {
        if (!File.Exists(settingsFile))
        {
            return SubscriptionSettings.None;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(settingsFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("Mim", out var mim) ? SubscriptionSettings.Read(mim.Clone()) : SubscriptionSettings.None;
    }

    private static async Task<int> RunAsync(string settingsFile, IReadOnlyDictionary<string, string?> overrides, Action<ServeOptions> flags)
    {
        IHost host;
        try
        {
            host = Build(settingsFile, overrides, flags);
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 2;
        }

        using (host)
        {
            try
            {
                await host.StartAsync().ConfigureAwait(false);
            }
            catch (OptionsValidationException e)
            {
                foreach (var failure in e.Failures)
                {
                    Console.Error.WriteLine($"E: {failure}");
                }

                return 2;
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"E: cannot listen: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                // The inbox folder is locked by another host, or the data directory cannot be written.
                Console.Error.WriteLine($"E: {e.Message}");
                return 1;
            }

            var options = host.Services.GetRequiredService<IOptions<ServeOptions>>().Value;
            var listener = host.Services.GetRequiredService<DicomListenerService>();
            var catalog = host.Services.GetRequiredService<BundleCatalog>();
            Console.WriteLine($"Listening as {options.AeTitle} on port {listener.Port}; data in {Path.GetFullPath(options.DataDirectory)}");
            Console.WriteLine($"Serving: {(catalog.AllServing.Count == 0 ? "no bundle" : string.Join(", ", catalog.AllServing.Select(v => v.Name).Order(StringComparer.Ordinal)))}");
            if (catalog.AllShadows.Count > 0)
            {
                Console.WriteLine($"Shadow (results kept on the host): {string.Join(", ", catalog.AllShadows.Select(v => v.Name).Order(StringComparer.Ordinal))}");
            }

            Console.WriteLine($"Destinations: {(options.Destinations.Count == 0 ? "none" : string.Join(", ", options.Destinations.Select(d => $"{d.AeTitle}@{d.Host}:{d.Port}")))}{(options.OutputFolder is { } o ? $"; results also copied to {o}" : "")}");
            Console.Out.Flush();
            await host.WaitForShutdownAsync().ConfigureAwait(false);
            Console.WriteLine("Stopped.");
            return 0;
        }
    }
}
