using MiM.Bundles.Model.Runtime;

namespace MiM.Bundles.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args is ["serve", ..])
        {
            // The long-running host: a few malloc arenas instead of one per thread, each keeping what was freed in it.
            Runtime.MallocArenas.EnsureCapped(Runtime.MallocArenas.ServeDefault);
        }

        // Before the first tensor: large activations get huge pages instead of one page fault per 4 KiB each step.
        TensorPages.UseHugePages();
        return MimCommandLine.Build().Parse(args).Invoke();
    }
}
