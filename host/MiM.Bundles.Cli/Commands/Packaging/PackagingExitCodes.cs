using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// How the `mim bundle` and `mim repo` verbs end, one "E: …" line on stderr for each failure: 3 when an archive, installed
/// bundle or index is refused (not intact, not trusted, or against policy: the reason is named), 2 when the input is
/// wrong (a malformed key, metadata or argument), 1 when the disk or network failed. Scripts test for 0 only.
/// </summary>
internal static class PackagingExitCodes
{
    public const int Refused = 3;

    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (BundleRefusedException e)
        {
            Console.Error.WriteLine($"E: refused ({e.Reason}): {e.Message}");
            return Refused;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
        {
            // Before IOException: a missing input file is the user's mistake, not the disk's.
            Console.Error.WriteLine($"E: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 1;
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (BundleRefusedException e)
        {
            Console.Error.WriteLine($"E: refused ({e.Reason}): {e.Message}");
            return Refused;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException or FileNotFoundException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or HttpRequestException or System.Net.HttpListenerException)
        {
            Console.Error.WriteLine($"E: {e.Message}");
            return 1;
        }
    }
}
