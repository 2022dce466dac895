using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Host.Tests.Serving;

namespace MiM.Bundles.Host.Tests.Cli.Runtime;

/// <summary>`mim serve` caps glibc's malloc arenas by re-executing itself once, in the same process, unless the site chose.</summary>
public sealed class MallocArenasTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Mim_serve_runs_with_two_malloc_arenas_in_the_process_it_was_started_as()
    {
        using var server = MimServer.Start(_temp.Sub("data"), _temp.Sub("bundles"));

        Assert.Contains("MALLOC_ARENA_MAX=2", Environment(server.ProcessId));
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public void A_number_the_site_set_is_kept()
    {
        using var server = MimServer.Start(new Dictionary<string, string> { ["MALLOC_ARENA_MAX"] = "4" }, _temp.Sub("data"), _temp.Sub("bundles"));

        var environment = Environment(server.ProcessId);
        Assert.Contains("MALLOC_ARENA_MAX=4", environment);
        Assert.DoesNotContain("MALLOC_ARENA_MAX=2", environment);
        Assert.Equal(0, server.Terminate(TimeSpan.FromSeconds(60)));
    }

    private static string[] Environment(int processId) => File.ReadAllText($"/proc/{processId}/environ").Split('\0');
}
