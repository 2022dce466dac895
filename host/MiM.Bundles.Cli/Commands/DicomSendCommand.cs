using System.CommandLine;
using MiM.Bundles.Dicom.Network;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim dicom send FILES|DIRS --to AE@host:port`: C-STORE over one association, a line per file, a summary, non-zero exit on any failure.</summary>
internal static class DicomSendCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("FILES") { Description = "Part 10 files, or folders searched recursively.", Arity = ArgumentArity.OneOrMore };
        var to = new Option<string>("--to") { Description = "The storage SCP, AE@host:port.", Required = true };
        var aet = new Option<string>("--aet") { Description = "Our (calling) AE title.", DefaultValueFactory = _ => "MIMBUNDLES" };
        var tls = new DicomTlsOptions();
        var command = new Command("send", "Send DICOM files to a storage SCP (C-STORE), each in its own transfer syntax; exit 1 if any file was not stored.");
        command.Arguments.Add(inputs);
        command.Options.Add(to);
        command.Options.Add(aet);
        tls.AddTo(command);
        command.SetAction(parse =>
        {
            if (!DicomAddress.TryParse(parse.GetValue(to)!, out var address))
            {
                Console.Error.WriteLine("E: --to must be written AE@host:port");
                return 2;
            }

            var files = Expand(parse.GetValue(inputs)!);
            if (files.Count == 0)
            {
                Console.Error.WriteLine("E: no files to send");
                return 2;
            }

            var destination = address!.ToDestination(parse.GetValue(aet)!);
            var done = 0;
            var progress = new SynchronousProgress<FileSendOutcome>(o =>
            {
                done++;
                var what = o.Delivered ? DimseStatus.Describe(o.Status!.Value) : $"FAILED {o.Error ?? DimseStatus.Describe(o.Status!.Value)}";
                Console.WriteLine($"[{done}/{files.Count}] {o.FilePath}: {what}");
            });
            var clock = System.Diagnostics.Stopwatch.StartNew();
            IReadOnlyList<FileSendOutcome> outcomes;
            try
            {
                outcomes = new DicomScu(new DicomScuOptions { Tls = tls.Client(parse) }).SendAsync(destination, files, progress, CancellationToken.None).GetAwaiter().GetResult();
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"E: {e.Message} ({done} of {files.Count} files had an answer)");
                return 1;
            }

            var failed = outcomes.Count(o => !o.Delivered);
            Console.WriteLine($"Sent {files.Count} files to {address} in {clock.Elapsed.TotalSeconds:0.00} s: {files.Count - failed} stored, {failed} failed");
            foreach (var group in outcomes.Where(o => !o.Delivered).GroupBy(o => o.Status is { } s ? DimseStatus.Describe(s) : "not sent"))
            {
                Console.WriteLine($"  {group.Count()} × {group.Key}");
            }

            return failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static List<string> Expand(string[] inputs)
    {
        var files = new List<string>();
        foreach (var input in inputs)
        {
            if (Directory.Exists(input))
            {
                files.AddRange(Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
            }
            else
            {
                files.Add(input);
            }
        }

        return files;
    }
}
