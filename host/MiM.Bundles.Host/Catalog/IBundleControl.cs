namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// What an operator may change in a running catalog (through the REST API or `mim bundle rollback`): pins, unloads,
/// shadows and promotions, rescans. Every change is audited and survives a restart.
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

    /// <summary>
    /// Puts <paramref name="version"/> of <paramref name="bundleId"/> in shadow (null clears the shadow): it warms up
    /// beside the serving version, runs the same series, keeps its results on the host and records its agreement.
    /// Returns the shadow version afterwards (null when none warmed up).
    /// </summary>
    /// <exception cref="FormatException"><paramref name="version"/> is not a semantic version.</exception>
    /// <exception cref="InvalidOperationException">It is not installed, refused, or the version that serves.</exception>
    Task<string?> ShadowAsync(string bundleId, string? version, string requestedBy, CancellationToken cancellationToken);

    /// <summary>
    /// Makes <paramref name="version"/> of <paramref name="bundleId"/> the serving version (a pin to it; its shadow is
    /// cleared). Jobs already running on the old version finish on it. Returns the version that serves afterwards.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="version"/> is not a semantic version.</exception>
    /// <exception cref="InvalidOperationException">It is not installed, refused, or did not take over (the previous state is restored).</exception>
    Task<string> PromoteAsync(string bundleId, string version, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Drains and unloads the serving version of <paramref name="bundleId"/> and keeps it from serving until loaded again.</summary>
    Task UnloadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Lets <paramref name="bundleId"/> serve again after an unload, and rescans the bundle directory.</summary>
    Task LoadAsync(string bundleId, string requestedBy, CancellationToken cancellationToken);
}
