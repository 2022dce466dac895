using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Tests.Cli;
using MiM.Bundles.Host.Tests.Cli.Bundles;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Host.Tests.Loading;

/// <summary>The built-in kinds loaded from plugins/standard/ like any plugin, run through the contracts at unit size, batch 1.</summary>
[Collection(TrainedOutputsGroup.Name)]
public sealed class StandardBundleTests(TrainedOutputsFixture trained)
{
    private static string StandardPlugin => Path.Combine(AppContext.BaseDirectory, "plugins", "standard", "MiM.Bundles.Standard.dll");

    [Fact]
    public async Task A_head_on_the_shared_encoders_features_segments_exactly_as_the_same_head_with_its_encoder_embedded()
    {
        var shared = Path.Combine(trained.Bundles, "liver-shared");
        var embedded = Path.Combine(trained.Bundles, "liver-embedded");
        var best = Path.Combine(trained.Frozen, "best");
        Assert.Equal(0, MimProcess.Run(TrainedOutputsFixture.Timeout, "bundle", "new", "--from", best, "--out", shared, "--id", "liver", "--version", "1.0.0", "--encoder", trained.Encoder).ExitCode);
        Assert.Equal(0, MimProcess.Run(TrainedOutputsFixture.Timeout, "bundle", "new", "--from", best, "--out", embedded, "--id", "liver", "--version", "1.0.1").ExitCode);

        // A held-out phantom, cropped so that the 32³ windows overlap (several windows, batch 1).
        var volume = NiftiReader.ReadVolume(Path.Combine(trained.Data, "imagesTr", "phantom_0004.nii.gz"));
        using var plugin = PluginLoaderFactory.Load(StandardPlugin);
        using var encoder = (IEncoderBundle)Load(plugin, trained.Encoder);
        using var sharedHead = (ISegmentationBundle)Load(plugin, shared);
        using var embeddedHead = (ISegmentationBundle)Load(plugin, embedded);

        using var features = await encoder.EncodeAsync(volume, CancellationToken.None);
        Assert.Equal("mim-hidden-states/1", features.Format);
        var fromShared = await sharedHead.SegmentAsync(new BundleInput(volume, features), CancellationToken.None);
        var fromEmbedded = await embeddedHead.SegmentAsync(new BundleInput(volume), CancellationToken.None);

        Assert.True(fromShared.Geometry.IsSameGrid(volume.Geometry));
        Assert.Equal(fromEmbedded.Voxels, fromShared.Voxels);
        Assert.Equal("liver", Assert.Single(sharedHead.Segments).Name);
        Assert.Equal("10200004", sharedHead.Segments[0].Type.CodeValue);
    }

    [Fact]
    public void The_standard_plugin_unloads_after_its_bundles_are_disposed()
    {
        var context = LoadEncodeUnload(trained.Encoder);
        for (var i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive, "the Standard plugin's load context survived unloading");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference LoadEncodeUnload(string encoderFolder)
    {
        var plugin = PluginLoaderFactory.Load(StandardPlugin);
        var context = plugin.Context;
        using (var encoder = (IEncoderBundle)Load(plugin, encoderFolder))
        {
            var geometry = new VolumeGeometry(new GridSize(32, 32, 32), default, new Vector3D(1, 1, 1), Direction3D.Identity);
            using var features = encoder.EncodeAsync(Volume.Zeros(geometry), CancellationToken.None).GetAwaiter().GetResult();
            Assert.Single((System.Collections.IEnumerable)features.Payload);
        }

        plugin.Dispose();
        return context;
    }

    private static IBundle Load(LoadedPlugin plugin, string folder)
    {
        var metadata = MetadataReader.Read(folder);
        using var inference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "configs", "inference.json")));
        return plugin.ProviderOf(metadata.Kind!)!.Load(BundleContexts.For(folder, metadata, inference.RootElement.Clone(), "cpu", NullLogger.Instance));
    }
}
