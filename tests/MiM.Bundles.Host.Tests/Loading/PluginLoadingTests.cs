using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Host.Loading;

namespace MiM.Bundles.Host.Tests.Loading;

public sealed class PluginLoadingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_bundle_with_code_loads_segments_and_its_load_context_is_collected_after_unload()
    {
        var folder = new TestBundle().Write(_temp.Sub("bundle"));
        var (context, labels) = LoadSegmentUnload(folder);
        Assert.Equal([0, 1, 0, 1], labels);
        for (var i = 0; i < 10 && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive, "the plugin's load context survived unloading");
    }

    [Fact]
    public void The_plugin_shares_the_contracts_with_the_host()
    {
        using var plugin = PluginLoaderFactory.Load(Path.Combine(TestBundle.PluginFolder, "ThresholdBundle.dll"));
        var provider = Assert.Single(plugin.Providers);
        Assert.Same(typeof(IBundleProvider).Assembly, provider.GetType().GetInterfaces().Single(i => i.Name == nameof(IBundleProvider)).Assembly);
        Assert.Contains("threshold-segmentation", provider.Kinds);
    }

    [Fact]
    public void A_missing_plugin_assembly_is_a_load_error_naming_it()
    {
        var error = Assert.Throws<BundleLoadException>(() => PluginLoaderFactory.Load(_temp.Sub("Nope.dll")));
        Assert.Contains("Nope.dll does not exist", error.Message, StringComparison.Ordinal);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (WeakReference Context, ushort[] Labels) LoadSegmentUnload(string folder)
    {
        var metadata = MetadataReader.Read(folder);
        using var inference = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "configs", "inference.json")));
        var plugin = PluginLoaderFactory.Load(PluginLocator.LibOnly.MainAssemblyFor(folder, metadata.Kind!));
        var context = plugin.Context;
        var bundle = (ISegmentationBundle)plugin.ProviderOf(metadata.Kind!)!.Load(
            BundleContexts.For(folder, metadata, inference.RootElement.Clone(), "cpu", NullLogger.Instance));
        var volume = new Volume(
            new VolumeGeometry(new GridSize(4, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), [0, 200, 50, 101]);
        var labels = bundle.SegmentAsync(new BundleInput(volume), CancellationToken.None).GetAwaiter().GetResult().Voxels;
        bundle.Dispose();
        plugin.Dispose();
        return (context, labels);
    }
}
