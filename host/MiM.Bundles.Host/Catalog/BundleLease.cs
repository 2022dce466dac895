using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// A serving bundle version held for one job; disposing lets a draining version finish, and drops the lease's
/// reference to the plugin's bundle so its load context can be collected after unloading.
/// </summary>
public sealed class BundleLease : IDisposable
{
    private IBundle? _bundle;
    private BundleVersion? _held;

    internal BundleLease(BundleVersion version)
    {
        _held = version;
        Version = version;
        _bundle = version.Bundle!;
    }

    /// <summary>The version held.</summary>
    public BundleVersion Version { get; }

    /// <summary>The loaded bundle.</summary>
    /// <exception cref="ObjectDisposedException">The lease was released.</exception>
    public IBundle Bundle => _bundle ?? throw new ObjectDisposedException(nameof(BundleLease));

    /// <summary>Releases the version.</summary>
    public void Dispose()
    {
        _bundle = null;
        Interlocked.Exchange(ref _held, null)?.Exit();
    }
}
