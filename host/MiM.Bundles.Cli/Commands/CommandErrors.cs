using MiM.Bundles.Dicom;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// The expected failures of the file-writing `mim dicom` commands, each as one "E: message" line on stderr and an exit
/// code: 2 when the user's input file is wrong (a JSON or NIfTI format error), 1 when DICOM reading or the disk failed.
/// Anything else is a bug and is left to crash with its stack trace.
/// </summary>
internal static class CommandErrors
{
    /// <summary>Runs <paramref name="action"/>; returns its exit code, or the code of the expected failure it threw.</summary>
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is FormatException or NiftiFormatException)
        {
            // Before IOException: NiftiFormatException is one, but it means the input is wrong, not the disk.
            Console.Error.WriteLine($"E: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is DicomException or IOException)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 1;
        }
    }
}
