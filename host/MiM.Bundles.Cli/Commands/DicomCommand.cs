using System.CommandLine;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Dump;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim dicom`: DICOM tools over MiM.Bundles.Dicom; `mim dicom dump FILE [--json]` prints a file like dcmdump or as DICOM
/// JSON; `echo`, `send` and `listen` speak the DICOM network protocol (MiM.Bundles.Dicom.Network).
/// </summary>
internal static class DicomCommand
{
    public static Command Create()
    {
        var command = new Command("dicom", "DICOM file and network tools (the project's managed DICOM layer; no DCMTK needed).");
        command.Subcommands.Add(CreateDump());
        command.Subcommands.Add(DicomToNiftiCommand.Create());
        command.Subcommands.Add(DicomEchoCommand.Create());
        command.Subcommands.Add(DicomSendCommand.Create());
        command.Subcommands.Add(DicomListenCommand.Create());
        command.Subcommands.Add(DicomSegCommand.Create());
        command.Subcommands.Add(DicomSrCommand.Create());
        return command;
    }

    private static Command CreateDump()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A DICOM Part 10 file, or a raw data set without meta information." };
        var json = new Option<bool>("--json") { Description = "Print the data set in the DICOM JSON model (PS3.18 F.2) instead of dcmdump-style text." };
        var pixels = new Option<bool>("--pixel-data") { Description = "With --json, include native pixel data as InlineBinary (left out by default)." };
        var command = new Command(
            "dump",
            "Print the elements of a DICOM file: dcmdump-style text, or DICOM JSON with --json. Pixel data is not read unless asked for.");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(pixels);
        command.SetAction(parse =>
        {
            var path = parse.GetValue(file)!.FullName;
            try
            {
                var dicom = DicomFile.Open(path);
                if (parse.GetValue(json))
                {
                    using var stdout = Console.OpenStandardOutput();
                    DicomJsonWriter.Write(dicom.Dataset, stdout, new DicomJsonOptions { IncludePixelData = parse.GetValue(pixels) });
                    stdout.Write("\n"u8);
                }
                else
                {
                    DicomTextDumper.Dump(dicom, Console.Out);
                }

                foreach (var warning in dicom.Warnings)
                {
                    Console.Error.WriteLine($"W: {warning}");
                }

                return 0;
            }
            catch (DicomException e)
            {
                Console.Error.WriteLine($"E: {e.Message}");
                return 1;
            }
            catch (IOException e)
            {
                Console.Error.WriteLine($"E: {path}: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
