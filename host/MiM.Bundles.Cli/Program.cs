using MiM.Bundles.Model.Runtime;

namespace MiM.Bundles.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before the first tensor: large activations get huge pages instead of one page fault per 4 KiB each step.
        TensorPages.UseHugePages();
        return MimCommandLine.Build().Parse(args).Invoke();
    }
}
