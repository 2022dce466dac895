namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// Where a bundle version is in its life: discovered → validating → loading → warming → serving → draining → unloaded,
/// or failed (with a reason) from any step before serving; a shadow candidate warms up into shadow instead of serving.
/// </summary>
public enum BundleState
{
    /// <summary>A complete folder was found; not yet checked (or held back by a pin).</summary>
    Discovered,

    /// <summary>Being validated.</summary>
    Validating,

    /// <summary>Its plugin and weights are being loaded.</summary>
    Loading,

    /// <summary>One real inference on a synthetic volume is running.</summary>
    Warming,

    /// <summary>Takes jobs.</summary>
    Serving,

    /// <summary>Replaced or removed: finishes the jobs it has, takes no new ones.</summary>
    Draining,

    /// <summary>Disposed and its load context released.</summary>
    Unloaded,

    /// <summary>Could not be served; <see cref="BundleVersion.FailureReason"/> says why.</summary>
    Failed,

    /// <summary>
    /// Loaded and warmed up as the shadow candidate of its id: runs the serving version's series beside it, its
    /// results stay on the host; a promotion makes it serve without reloading it.
    /// </summary>
    Shadow,
}
