namespace MiM.Bundles.Cli;

internal static class Program
{
    private static int Main(string[] args) => MimCommandLine.Build().Parse(args).Invoke();
}
