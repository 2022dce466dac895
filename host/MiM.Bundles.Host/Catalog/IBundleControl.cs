namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// What an operator may change in a running catalog (through the REST API or `mim bundle rollback`): pins, unloads,
/// rescans. Every change is audited and survives a restart.
/// </summary>
public interface IBundleControl
{
    /// <summary>
    /// Pins <paramref name="bundleId"/> to a version or npm-style range (null removes the pin), re-evaluates which
    /// version serves, and returns the version that serves afterwards (null when none does).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="versionOrRange"/> is neither a version nor a range.</exception>
    Task<string?> PinAsync(string bundleId, string? versionOrRange, string requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// Rolls <paramref name="bundleId"/> back to <paramref name="toVersion"/>, or to the newest installed version older
    /// than the serving one; pins it there and returns the version that serves afterwards.
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such older version installed.</exception>
    Task<string> RollbackAsync(string bundleId, string? toVersion, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Drains and unloads the serving version of <paramref name="bundleId"/> and keeps it from serving until loaded again.</summary>
    Task UnloadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Lets <paramref name="bundleId"/> serve again after an unload, and rescans the bundle directory.</summary>
    Task LoadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken);
}
