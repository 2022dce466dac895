using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// How the training verbs end when a run fails: 2 for a loss that became NaN or infinite (the last good checkpoint is
/// kept), 1 for bad input, configuration or weights, each with the message on stderr.
/// </summary>
internal static class TrainingExitCodes
{
    public static int Run(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (NonFiniteLossException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException
                                      or NotSupportedException or WeightMismatchException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
