using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Contracts.Bundles;

/// <summary>
/// A loaded bundle version. The host calls one method at a time per instance (its queue serialises jobs) and
/// disposes it when the version is drained; after <see cref="IDisposable.Dispose"/> no plugin object may be
/// referenced from outside the plugin, so its load context can be collected.
/// </summary>
public interface IBundle : IDisposable
{
    /// <summary>How much memory one job on a volume of <paramref name="input"/> voxels needs, so the scheduler can place it.</summary>
    BundleMemory EstimateMemory(GridSize input);

    /// <summary>
    /// Gets ready to serve: moves weights to the device, allocates workspaces. The host then runs one real inference on a
    /// synthetic volume before switching traffic to this version.
    /// </summary>
    Task WarmUpAsync(CancellationToken cancellationToken);
}

/// <summary>Memory one job needs.</summary>
/// <param name="DeviceBytes">On the bundle's device (GPU memory; on "cpu" the same as host memory).</param>
/// <param name="HostBytes">In host (CPU) memory besides the input volume.</param>
public readonly record struct BundleMemory(long DeviceBytes, long HostBytes);
