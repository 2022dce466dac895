using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Scp;
using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim dicom listen --aet .. --port .. --out DIR`: a stand-alone storage SCP on the durable inbox. Prints the port it
/// listens on (useful with --port 0), logs a line per association, stops cleanly on Ctrl+C or SIGTERM.
/// </summary>
internal static class DicomListenCommand
{
    public static Command Create()
    {
        var aet = new Option<string>("--aet") { Description = "Our AE title; associations calling another are rejected.", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port, printed at start).", DefaultValueFactory = _ => 11112 };
        var output = new Option<DirectoryInfo>("--out") { Description = "The inbox folder received instances are stored in.", Required = true };
        var bind = new Option<string>("--bind") { Description = "Address to listen on.", DefaultValueFactory = _ => "0.0.0.0" };
        var allow = new Option<string?>("--allow") { Description = "Comma-separated calling AE titles allowed (default: anyone)." };
        var minFree = new Option<long>("--min-free-mb") { Description = "Refuse stores (A700 out of resources) below this much free disk.", DefaultValueFactory = _ => 1024 };
        var journal = new Option<long>("--journal-segment-mb")
        {
            Description = $"0 (default): each instance's file and folder are fsynced before Success. N (e.g. {InboxOptions.SuggestedJournalSegmentBytes >> 20}): acknowledge once the instance's record in an inbox journal of N MB segments is durable.",
            DefaultValueFactory = _ => 0,
        };
        var maxAssociations = new Option<int>("--max-associations") { Description = "Associations served at once.", DefaultValueFactory = _ => 64 };
        var tls = new DicomTlsOptions();
        var command = new Command("listen", "Run a storage SCP (C-ECHO, C-STORE of any storage SOP class) that stores each instance durably before acknowledging it.");
        command.Options.Add(aet);
        command.Options.Add(port);
        command.Options.Add(output);
        command.Options.Add(bind);
        command.Options.Add(allow);
        command.Options.Add(minFree);
        command.Options.Add(maxAssociations);
        command.Options.Add(journal);
        tls.AddTo(command);
        command.SetAction(parse =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                Console.Error.WriteLine("E: --bind must be an IP address");
                return 2;
            }

            var options = new DicomScpOptions
            {
                AeTitle = parse.GetValue(aet)!,
                Port = parse.GetValue(port),
                BindAddress = address,
                AllowedCallingAeTitles = parse.GetValue(allow)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                MaximumAssociations = parse.GetValue(maxAssociations),
                Tls = tls.Server(parse),
            };
            if (parse.GetValue(journal) < 0)
            {
                Console.Error.WriteLine("E: --journal-segment-mb must be 0 or more");
                return 2;
            }

            // Disposed on the way out: the journal's final checkpoint, so the next start has nothing to replay.
            using var inbox = new DurableInbox(new InboxOptions
            {
                Root = parse.GetValue(output)!.FullName,
                MinimumFreeBytes = parse.GetValue(minFree) << 20,
                JournalSegmentBytes = parse.GetValue(journal) << 20,
            });
            using var logging = ConsoleLogging.Create();
            using var stop = new StopSignal(() => Console.Error.WriteLine("Stopping: open associations are aborted, partial instances discarded."));
            return RunAsync(options, inbox, logging, stop.Token).GetAwaiter().GetResult();
        });
        return command;
    }

    private static async Task<int> RunAsync(DicomScpOptions options, DurableInbox inbox, ILoggerFactory logging, CancellationToken stop)
    {
        var scp = new DicomScp(options, inbox, logging.CreateLogger<DicomScp>());
        await using (scp.ConfigureAwait(false))
        {
            try
            {
                scp.Start();
            }
            catch (SocketException e)
            {
                Console.Error.WriteLine($"E: cannot listen on {options.BindAddress}:{options.Port}: {e.Message}");
                return 1;
            }

            Console.WriteLine($"Listening as {options.AeTitle} on port {scp.LocalEndPoint.Port} ({scp.LocalEndPoint}), storing into {inbox.InstancesFolder}");
            Console.Out.Flush();
            try
            {
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Ctrl+C or SIGTERM: fall through to the orderly stop.
            }

            await scp.StopAsync().ConfigureAwait(false);
            Console.WriteLine("Stopped.");
            return 0;
        }
    }
}
