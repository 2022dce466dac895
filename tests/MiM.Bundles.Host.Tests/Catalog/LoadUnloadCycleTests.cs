using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using Xunit.Abstractions;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>
/// Unload is real over many cycles (issue 12): a plugin bundle (the test plugin, code in lib/) is loaded, warmed up,
/// runs a job, is removed, drained and unloaded 30 times; every cycle's load context is collected, and the resident
/// memory after the 30th cycle is within 5% of that after the 1st. On demand (`--filter Category=Soak`): a memory
/// figure for bench/README.md, not a default-suite assertion. <c>MIM_SOAK_CYCLES</c> runs more cycles.
/// </summary>
/// <remarks>
/// Resident memory is read after an aggressive collection, which returns the GC's free regions to the system: without
/// it the reading swings by ±4 MiB from cycle to cycle. Each line splits it into anonymous, file-backed and shared
/// (the runtime's executable memory) pages, which is how the growth was traced to tiered JIT compilation of the host's
/// own code rather than to unloaded plugins (bench/README.md).
/// </remarks>
public sealed class LoadUnloadCycleTests(ITestOutputHelper output) : IDisposable
{
    private static readonly int Cycles = int.Parse(Environment.GetEnvironmentVariable("MIM_SOAK_CYCLES") ?? "30", CultureInfo.InvariantCulture);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    [Trait("Category", "Soak")]
    public async Task Thirty_load_and_unload_cycles_collect_every_load_context_and_keep_resident_memory_within_5_percent()
    {
        var dir = _temp.Sub("bundles");
        Directory.CreateDirectory(dir);
        await using var catalog = TestCatalogs.Create(dir);
        long afterFirst = 0, afterLast = 0;
        var clock = Stopwatch.StartNew();
        for (var cycle = 1; cycle <= Cycles; cycle++)
        {
            var folder = new TestBundle(version: $"1.0.{cycle}").Write(Path.Combine(dir, $"bright-{cycle}"));
            await catalog.ScanAsync(CancellationToken.None);
            var context = await RunOneJobAsync(catalog);
            Directory.Delete(folder, recursive: true);
            await catalog.ScanAsync(CancellationToken.None);
            await catalog.RetiredAsync();
            Assert.True(TestCatalogs.Collected(context), $"cycle {cycle}: the load context survived its unload");
            var resident = ResidentBytes();
            if (cycle == 1)
            {
                afterFirst = resident;
            }

            afterLast = resident;
            output.WriteLine($"cycle {cycle,2}: resident {resident / 1048576.0:F1} MiB, managed heap {GC.GetTotalMemory(false) / 1048576.0:F1} MiB, {ProcStatus()}");
        }

        var growth = (double)(afterLast - afterFirst) / afterFirst;
        output.WriteLine($"{Cycles} cycles in {clock.Elapsed.TotalSeconds:F1} s; resident after the 1st {afterFirst / 1048576.0:F1} MiB, after the {Cycles}th {afterLast / 1048576.0:F1} MiB ({growth:P1})");
        Assert.True(growth <= 0.05, $"resident memory grew {growth:P1} over {Cycles} cycles ({afterFirst} → {afterLast} bytes)");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> RunOneJobAsync(BundleCatalog catalog)
    {
        using var lease = catalog.Acquire("bright-seg") ?? throw new InvalidOperationException("the bundle did not serve");
        var volume = new Volume(new VolumeGeometry(new GridSize(2, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), [0f, 150f]);
        var labels = await ((ISegmentationBundle)lease.Bundle).SegmentAsync(new BundleInput(volume), CancellationToken.None);
        Assert.Equal(1, labels.Voxels[1]);
        return lease.Version.LoadContext!;
    }

    /// <summary>The kernel's split of resident memory (RssAnon, RssFile, RssShmem) and the thread count.</summary>
    private static string ProcStatus() => string.Join(", ", File.ReadAllLines("/proc/self/status")
        .Where(l => l.StartsWith("Rss", StringComparison.Ordinal) || l.StartsWith("Threads", StringComparison.Ordinal))
        .Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));

    private static long ResidentBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }
}
