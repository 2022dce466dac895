namespace MiM.Bundles.Packaging.Repository;

/// <summary>What one sync did for one policy.</summary>
/// <param name="Id">The bundle id.</param>
/// <param name="Version">The version chosen, or null when no release fits the policy.</param>
/// <param name="Installed">True when it was downloaded and installed by this sync; false when it was already there or none fits.</param>
/// <param name="Directory">Where the chosen version is installed, or null when none fits.</param>
public sealed record SyncOutcome(string Id, string? Version, bool Installed, string? Directory);
