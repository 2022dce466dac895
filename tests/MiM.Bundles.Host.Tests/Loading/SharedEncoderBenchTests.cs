using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Tests.Cli;
using MiM.Bundles.Host.Tests.Cli.Bundles;
using Xunit.Abstractions;

namespace MiM.Bundles.Host.Tests.Loading;

/// <summary>
/// The figure behind "one encoder pass for many heads" (issue 12), on demand (`Category=Soak`): N segmentation heads
/// on one series cost one encoder pass plus N head passes when they share the encoder, against N × (encoder + head)
/// when each head carries its own. Unit-size bundles from real `mim pretrain`/`mim finetune` runs, loaded from
/// plugins/standard/ like any plugin; medians of 3 after a warm-up, printed for bench/README.md. The one assertion
/// is the point of the design: sharing must not cost more than running the heads alone.
/// </summary>
[Collection(TrainedOutputsGroup.Name)]
public sealed class SharedEncoderBenchTests(TrainedOutputsFixture trained, ITestOutputHelper output)
{
    private static string StandardPlugin => Path.Combine(AppContext.BaseDirectory, "plugins", "standard", "MiM.Bundles.Standard.dll");

    [Fact]
    [Trait("Category", "Soak")]
    public async Task N_heads_sharing_one_encoder_cost_about_one_encoder_pass_plus_n_head_passes()
    {
        var shared = Path.Combine(trained.Bundles, "bench-shared");
        var embedded = Path.Combine(trained.Bundles, "bench-embedded");
        var best = Path.Combine(trained.Frozen, "best");
        Assert.Equal(0, MimProcess.Run(TrainedOutputsFixture.Timeout, "bundle", "new", "--from", best, "--out", shared, "--id", "bench", "--version", "1.0.0", "--encoder", trained.Encoder).ExitCode);
        Assert.Equal(0, MimProcess.Run(TrainedOutputsFixture.Timeout, "bundle", "new", "--from", best, "--out", embedded, "--id", "bench", "--version", "1.0.1").ExitCode);

        // 64³ of CT-like values: several overlapping 32³ windows per pass.
        var random = new Random(0);
        var voxels = new float[64 * 64 * 64];
        for (var i = 0; i < voxels.Length; i++)
        {
            voxels[i] = (float)((random.NextDouble() * 400) - 100);
        }

        var volume = new Volume(new VolumeGeometry(new GridSize(64, 64, 64), default, new Vector3D(1.5, 1.5, 1.5), Direction3D.Identity), voxels);
        using var plugin = PluginLoaderFactory.Load(StandardPlugin);
        using var encoder = (IEncoderBundle)Load(plugin, trained.Encoder);
        using var head = (ISegmentationBundle)Load(plugin, shared);
        using var alone = (ISegmentationBundle)Load(plugin, embedded);

        var encode = await MedianAsync(async () => { using var f = await encoder.EncodeAsync(volume, CancellationToken.None); });
        using var features = await encoder.EncodeAsync(volume, CancellationToken.None);
        var headOnFeatures = await MedianAsync(() => head.SegmentAsync(new BundleInput(volume, features), CancellationToken.None));
        var headAlone = await MedianAsync(() => alone.SegmentAsync(new BundleInput(volume), CancellationToken.None));
        output.WriteLine($"encoder pass {encode:F3} s; head on shared features {headOnFeatures:F3} s; head with its own encoder {headAlone:F3} s");
        output.WriteLine("| heads | shared encoder (s) | each head alone (s) | encoder + N × head (s) | alone / shared |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var n in new[] { 1, 2, 3 })
        {
            var sharedTime = await MedianAsync(async () =>
            {
                using var f = await encoder.EncodeAsync(volume, CancellationToken.None);
                for (var i = 0; i < n; i++)
                {
                    await head.SegmentAsync(new BundleInput(volume, f), CancellationToken.None);
                }
            });
            var aloneTime = await MedianAsync(async () =>
            {
                for (var i = 0; i < n; i++)
                {
                    await alone.SegmentAsync(new BundleInput(volume), CancellationToken.None);
                }
            });
            output.WriteLine($"| {n} | {sharedTime:F3} | {aloneTime:F3} | {encode + (n * headOnFeatures):F3} | {aloneTime / sharedTime:F2} |");
            Assert.True(sharedTime <= aloneTime * 1.1, $"{n} heads: sharing the encoder took {sharedTime:F3} s, each alone {aloneTime:F3} s");
        }
    }

    private static async Task<double> MedianAsync(Func<Task> run)
    {
        await run();
        var times = new double[3];
        for (var i = 0; i < times.Length; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[1];
    }

    private static IBundle Load(LoadedPlugin plugin, string folder)
    {
        var metadata = MetadataReader.Read(folder);
        using var inference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "configs", "inference.json")));
        return plugin.ProviderOf(metadata.Kind!)!.Load(BundleContexts.For(folder, metadata, inference.RootElement.Clone(), "cpu", NullLogger.Instance));
    }
}
