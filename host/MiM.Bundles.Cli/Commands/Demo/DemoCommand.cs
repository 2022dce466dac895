using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Dicom.Network;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// `mim demo [--out DIR]`: the product's main job on embedded defaults. Builds (or reuses) small demo bundles, writes two
/// phantom CT studies (one with liver lesions, one without) as DICOM, starts `mim serve` as a child process on free local
/// ports, sends the studies to it over C-STORE as a router would, receives the SEG and SR on its own storage SCP, checks
/// them against the phantoms' truth and prints what it found. Exit 0 only when every check passed.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Exit status when a check (Dice, SR finding) failed.</summary>
    public const int CheckFailed = 1;

    /// <summary>Exit status when the demo could not run to its checks (bundles, host, sending, timeout).</summary>
    public const int SetupFailed = 2;

    private const string HostAeTitle = "MIMSERVE";
    private const string DestinationAeTitle = "MIMDEMO";
    private const string RouterAeTitle = "MIMROUTER";

    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where the demo keeps its bundle cache (cache/HASH/), the studies (study/), what the host keeps (host/) and what it received (results/).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")),
        };
        var bundles = new Option<DirectoryInfo?>("--bundles")
        {
            Description = $"Serve these bundles instead of building the demo's own (a folder holding {DemoRecipe.OrgansId} and {DemoRecipe.LesionId} bundles, "
                + "e.g. a later version of them); the checks stay the same.",
        };
        var wait = new Option<int>("--timeout") { Description = "Seconds to wait for the host to start and for the results to arrive.", DefaultValueFactory = _ => 300 };
        var command = new Command(
            "demo",
            "The main job end to end on this machine: build or reuse demo bundles (encoder, organ segmentation, lesion classification), write "
            + "phantom CT studies as DICOM, start `mim serve`, send the studies over DICOM, receive the SEG and SR back and check them against the "
            + "phantoms' truth (Dice per organ, lesion finding). Exit 0 only when every check passed.")
        {
            output, bundles, wait,
        };
        command.SetAction(parse =>
        {
            var configs = MimPaths.Resolve(Environment.GetEnvironmentVariable).ConfigDirectory;
            var run = new DemoRun(parse.GetValue(output)!.FullName, configs, parse.GetValue(bundles)?.FullName, TimeSpan.FromSeconds(parse.GetValue(wait)), Console.Out);
            return run.ExecuteAsync(CancellationToken.None).GetAwaiter().GetResult();
        });
        return command;
    }

    /// <summary>One run of the demo; each stage's time is kept for the summary.</summary>
    private sealed class DemoRun(string outFolder, string configs, string? givenBundles, TimeSpan timeout, TextWriter console)
    {
        private static readonly string[] RunFolders = ["host", "results"];
        private readonly List<(string Stage, TimeSpan Time)> _stages = [];

        public async Task<int> ExecuteAsync(CancellationToken cancellationToken)
        {
            console.WriteLine($"mim demo: the main job on this machine, working in {outFolder}");
            var clock = Stopwatch.StartNew();
            var bundles = Stage("bundles", () => givenBundles is null
                ? new DemoBundles(new DemoRecipe(configs), console).BuildOrReuse(outFolder, TimeSpan.FromMinutes(20))
                : Given(givenBundles));
            if (!bundles.Succeeded)
            {
                console.WriteLine($"FAILED: the demo bundles could not be built; see {bundles.Log}");
                return SetupFailed;
            }

            TrainingFigures.Print(bundles.CacheFolder, console);
            var studyFolder = Path.Combine(outFolder, "study");
            var studies = Stage("studies", () => DemoStudy.Cases.Select(c => DemoStudy.Write(c.Seed, c.Lesion, studyFolder)).ToList());
            foreach (var study in studies)
            {
                console.WriteLine($"  {study.Series.Folder}: {study.Series.Files.Count} CT slices of {DemoStudy.Size}x{DemoStudy.Size}, "
                    + $"{(study.Phantom.HasLesion ? $"{study.Phantom.Lesions} liver lesion(s)" : "no lesion")}; study {study.Series.Identity.StudyInstanceUid}");
            }

            // Host and receiver keep what they stored, and the demo's studies and results have fixed UIDs: sent again into a
            // previous run's folders they are duplicates, never handed on, and the run would wait for results in vain.
            foreach (var previous in RunFolders.Select(name => Path.Combine(outFolder, name)).Where(Directory.Exists))
            {
                Directory.Delete(previous, recursive: true);
            }

            await using var receiver = new ResultReceiver(DestinationAeTitle, Path.Combine(outFolder, "results"), NullLoggerFactory.Instance);
            receiver.Start();
            console.WriteLine($"  destination (our storage SCP): {DestinationAeTitle}@127.0.0.1:{receiver.Port}");

            var hostPort = FreePort();
            var apiPort = FreePort();
            var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var serving = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            var hostLog = Path.Combine(outFolder, "host.log");
            string[] serveArguments =
            [
                "serve", "--aet", HostAeTitle, "--port", hostPort.ToString(CultureInfo.InvariantCulture),
                "--bundles", bundles.BundleFolder, "--data", Path.Combine(outFolder, "host"),
                "--api", $"http://127.0.0.1:{apiPort.ToString(CultureInfo.InvariantCulture)}",
                "--destination", $"{DestinationAeTitle}@127.0.0.1:{receiver.Port.ToString(CultureInfo.InvariantCulture)}",
                // The demo sends each study in one association and then waits: a short quiet period completes the series sooner.
                "--quiet-seconds", "3",
            ];
            console.WriteLine($"  starting: mim {string.Join(' ', serveArguments)}");
            console.WriteLine($"  (host output: {hostLog})");
            using var host = MimChildProcess.Start(serveArguments, hostLog, line =>
            {
                if (line.Contains("listening", StringComparison.OrdinalIgnoreCase))
                {
                    listening.TrySetResult(line);
                }
                else if (line.StartsWith("Serving:", StringComparison.Ordinal))
                {
                    serving.TrySetResult(line);
                }
            });
            var outcome = SetupFailed;
            try
            {
                outcome = await ServeAndCheckAsync(host, hostPort, listening.Task, serving.Task, $"http://127.0.0.1:{apiPort.ToString(CultureInfo.InvariantCulture)}", receiver, studies, hostLog, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                var stopClock = Stopwatch.StartNew();
                var status = outcome == SetupFailed ? host.Kill() : host.Stop(TimeSpan.FromSeconds(30));
                _stages.Add(("host stop", stopClock.Elapsed));
                console.WriteLine(status switch
                {
                    0 => "  host stopped cleanly (SIGTERM, exit 0)",
                    -1 => "  host killed",
                    _ => $"  host stopped with exit status {status}",
                });
            }

            console.WriteLine();
            console.WriteLine("Stage times:");
            foreach (var (stage, time) in _stages)
            {
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {stage,-22} {time.TotalSeconds,8:F1} s"));
            }

            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"total",-22} {clock.Elapsed.TotalSeconds,8:F1} s"));
            console.WriteLine();
            console.WriteLine($"Results: {receiver.InstancesFolder} (SEG and SR as received by the destination); studies: {studyFolder}; host: {Path.Combine(outFolder, "host")}");
            console.WriteLine("Open them: `mim dicom dump FILE` (text), 3D Slicer (Add DICOM Data on the study folder and the results; QuantitativeReporting shows the SEG),");
            console.WriteLine("or send study and results to a PACS/Orthanc with `mim dicom send DIR --to AE@host:port` and view them in OHIF.");
            console.WriteLine(outcome == 0 ? "mim demo: every check passed" : "mim demo: FAILED");
            return outcome;
        }

        private async Task<int> ServeAndCheckAsync(
            MimChildProcess host, int hostPort, Task<string> listening, Task<string> serving, string api, ResultReceiver receiver, List<DemoStudy> studies, string hostLog, CancellationToken cancellationToken)
        {
            var startClock = Stopwatch.StartNew();
            while (!listening.IsCompleted)
            {
                if (host.HasExited || startClock.Elapsed > timeout)
                {
                    console.WriteLine(host.HasExited
                        ? $"FAILED: mim serve ended (exit {host.ExitCode}) before it listened; see {hostLog}"
                        : $"FAILED: mim serve did not print 'listening' within {timeout.TotalSeconds:F0} s; see {hostLog}");
                    return SetupFailed;
                }

                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            console.WriteLine($"  host: {listening.Result.Trim()}");
            if (!await HeadsServingAsync(host, serving, api, startClock, cancellationToken).ConfigureAwait(false))
            {
                console.WriteLine($"FAILED: the demo heads ({DemoRecipe.OrgansId}, {DemoRecipe.LesionId}) were not serving within {timeout.TotalSeconds:F0} s; see {hostLog}");
                return SetupFailed;
            }

            _stages.Add(("host start", startClock.Elapsed));

            var sendClock = Stopwatch.StartNew();
            var destination = new DicomDestination(HostAeTitle, HostAeTitle, "127.0.0.1", hostPort, RouterAeTitle);
            var files = studies.SelectMany(s => s.Series.Files).ToList();
            IReadOnlyList<FileSendOutcome> sent;
            try
            {
                sent = await new DicomScu().SendAsync(destination, files, cancellationToken).ConfigureAwait(false);
            }
            catch (DicomNetworkException e)
            {
                console.WriteLine($"FAILED: sending the studies to {HostAeTitle}@127.0.0.1:{hostPort}: {e.Message}");
                return SetupFailed;
            }

            _stages.Add(("send (C-STORE)", sendClock.Elapsed));
            var notStored = sent.Count(o => !o.Delivered);
            console.WriteLine($"  sent {files.Count} CT slices as {RouterAeTitle}: {files.Count - notStored} stored, {notStored} refused");
            if (notStored > 0)
            {
                return SetupFailed;
            }

            var waitClock = Stopwatch.StartNew();
            var lastReport = TimeSpan.Zero;
            while (!studies.All(s => receiver.SegmentationOf(Uid(s)) is not null && receiver.ReportOf(Uid(s)) is not null))
            {
                if (host.HasExited || waitClock.Elapsed > timeout)
                {
                    console.WriteLine(host.HasExited
                        ? $"FAILED: mim serve ended (exit {host.ExitCode}) before every result arrived; see {hostLog}"
                        : $"FAILED: not every result arrived within {timeout.TotalSeconds:F0} s; see {hostLog}");
                    ReportMissing(receiver, studies);
                    return SetupFailed;
                }

                if (waitClock.Elapsed - lastReport >= TimeSpan.FromSeconds(10))
                {
                    lastReport = waitClock.Elapsed;
                    console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  waiting for results: {studies.Count(s => receiver.SegmentationOf(Uid(s)) is not null)}/{studies.Count} SEG, {studies.Count(s => receiver.ReportOf(Uid(s)) is not null)}/{studies.Count} SR ({waitClock.Elapsed.TotalSeconds:F0} s)"));
                }

                await Task.Delay(250, cancellationToken).ConfigureAwait(false);
            }

            _stages.Add(("results (SEG + SR)", waitClock.Elapsed));
            var checkClock = Stopwatch.StartNew();
            var passed = DemoChecks.Run(studies, s => receiver.SegmentationOf(Uid(s))!, s => receiver.ReportOf(Uid(s))!, console);
            _stages.Add(("checks", checkClock.Elapsed));
            return passed ? 0 : CheckFailed;
        }

        /// <summary>
        /// True once the host says both heads serve: its "Serving:" line names them, or (when it printed that line before
        /// the catalog finished warming them) its readiness endpoint answers 200 and its bundle list names them.
        /// </summary>
        private async Task<bool> HeadsServingAsync(MimChildProcess host, Task<string> serving, string api, Stopwatch clock, CancellationToken cancellationToken)
        {
            static bool Names(string text) =>
                text.Contains(DemoRecipe.OrgansId, StringComparison.Ordinal) && text.Contains(DemoRecipe.LesionId, StringComparison.Ordinal);

            while (!serving.IsCompleted && !host.HasExited && clock.Elapsed < timeout)
            {
                await Task.Delay(200, cancellationToken).ConfigureAwait(false);
            }

            if (serving.IsCompleted)
            {
                console.WriteLine($"  host: {serving.Result.Trim()}");
                if (Names(serving.Result))
                {
                    return true;
                }
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            while (!host.HasExited && clock.Elapsed < timeout)
            {
                try
                {
                    using var ready = await http.GetAsync(new Uri($"{api}/health/ready"), cancellationToken).ConfigureAwait(false);
                    var bundles = await http.GetStringAsync(new Uri($"{api}/api/bundles"), cancellationToken).ConfigureAwait(false);
                    if (ready.IsSuccessStatusCode && Names(bundles))
                    {
                        console.WriteLine("  host: ready, both heads serving (REST API)");
                        return true;
                    }
                }
                catch (HttpRequestException)
                {
                    // The API is not up yet (or this host has none): ask again.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // One request timed out: ask again.
                }

                await Task.Delay(1000, cancellationToken).ConfigureAwait(false);
            }

            return false;
        }

        private void ReportMissing(ResultReceiver receiver, IReadOnlyList<DemoStudy> studies)
        {
            foreach (var study in studies)
            {
                console.WriteLine($"  {Path.GetFileName(study.Series.Folder)}: SEG {(receiver.SegmentationOf(Uid(study)) is null ? "missing" : "received")}, SR {(receiver.ReportOf(Uid(study)) is null ? "missing" : "received")}");
            }
        }

        private DemoBundles.Outcome Given(string folder)
        {
            console.WriteLine($"  serving the given bundles in {folder} (not the demo recipe's)");
            return new DemoBundles.Outcome(Directory.Exists(folder), folder, folder, Reused: true, Path.Combine(folder, "(none)"));
        }

        private T Stage<T>(string name, Func<T> action)
        {
            console.WriteLine($"{name}:");
            var clock = Stopwatch.StartNew();
            var result = action();
            _stages.Add((name, clock.Elapsed));
            return result;
        }

        private static string Uid(DemoStudy study) => study.Series.Identity.StudyInstanceUid;

        private static int FreePort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            try
            {
                return ((IPEndPoint)listener.LocalEndpoint).Port;
            }
            finally
            {
                listener.Stop();
            }
        }
    }
}
