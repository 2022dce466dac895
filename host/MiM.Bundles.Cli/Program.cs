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

        // Before the first tensor: freed tensor memory is kept for the next window or step instead of faulted in again.
        TensorPages.Configure();
        return MimCommandLine.Build().Parse(args).Invoke();
    }
}
