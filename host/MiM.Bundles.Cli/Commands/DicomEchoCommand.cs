using System.CommandLine;
using MiM.Bundles.Dicom.Network;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Scu;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim dicom echo AE@host:port`: C-ECHO, to check that a peer is reachable and accepts us.</summary>
internal static class DicomEchoCommand
{
    public static Command Create()
    {
        var peer = new Argument<string>("AE@HOST:PORT") { Description = "The peer to verify, e.g. ORTHANC@pacs.local:4242." };
        var aet = new Option<string>("--aet") { Description = "Our (calling) AE title.", DefaultValueFactory = _ => "MIMBUNDLES" };
        var tls = new DicomTlsOptions();
        var command = new Command("echo", "Send a C-ECHO to a DICOM peer and print the result (exit 0 on success).");
        command.Arguments.Add(peer);
        command.Options.Add(aet);
        tls.AddTo(command);
        command.SetAction(parse =>
        {
            if (!DicomAddress.TryParse(parse.GetValue(peer)!, out var address))
            {
                Console.Error.WriteLine("E: the peer must be written AE@host:port");
                return 2;
            }

            var destination = address!.ToDestination(parse.GetValue(aet)!);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var status = new DicomScu(new DicomScuOptions { Tls = tls.Client(parse) }).EchoAsync(destination, CancellationToken.None).GetAwaiter().GetResult();
                Console.WriteLine($"C-ECHO {address}: {DimseStatus.Describe(status)} ({clock.ElapsedMilliseconds} ms)");
                return status == DimseStatus.Success ? 0 : 1;
            }
            catch (DicomNetworkException e)
            {
                Console.Error.WriteLine($"E: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
