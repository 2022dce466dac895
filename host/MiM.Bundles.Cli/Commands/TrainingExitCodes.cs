using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Weights;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// How the training verbs end when a run fails: 2 for a loss that became NaN or infinite (the last good checkpoint is
/// kept), 3 when libtorch computes convolutions wrongly on this CPU (the start-up self-check), 1 for bad input,
/// configuration or weights, each with the message on stderr.
/// </summary>
internal static class TrainingExitCodes
{
    /// <summary>The exit code of every model verb that refuses to run because the CPU self-check failed.</summary>
    public const int KernelSelfCheckExitCode = 3;

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
        catch (KernelSelfCheckException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return KernelSelfCheckExitCode;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or InvalidOperationException
                                      or NotSupportedException or WeightMismatchException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
