namespace MiM.Bundles.Host.Api;

/// <summary>Body of <c>POST /api/bundles/{id}/pin</c>.</summary>
/// <param name="Version">A version or npm-style range; null removes the pin.</param>
public sealed record PinRequest(string? Version);

/// <summary>Body of <c>POST /api/bundles/{id}/rollback</c> (optional).</summary>
/// <param name="ToVersion">The version to go back to; null: the newest installed version older than the serving one.</param>
public sealed record RollbackRequest(string? ToVersion);

/// <summary>Body of <c>POST /api/bundles/{id}/shadow</c>.</summary>
/// <param name="Version">The installed candidate version to run in shadow; null clears the shadow.</param>
public sealed record ShadowRequest(string? Version);

/// <summary>Body of <c>POST /api/bundles/{id}/promote</c>.</summary>
/// <param name="Version">The installed version to serve (usually the shadow candidate).</param>
public sealed record PromoteRequest(string Version);

/// <summary>What a bundle call changed.</summary>
/// <param name="BundleId">The bundle id.</param>
/// <param name="Action">pin, unload, load, rollback, shadow or promote.</param>
/// <param name="Serving">The version that serves afterwards; null when none does.</param>
/// <param name="Shadow">The shadow candidate afterwards (shadow calls only); null when none runs.</param>
public sealed record BundleActionResult(string BundleId, string Action, string? Serving, string? Shadow = null);
