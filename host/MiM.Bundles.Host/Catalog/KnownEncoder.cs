using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>An encoder bundle version the host knows (found beside the bundle being validated, or loaded).</summary>
/// <param name="Id">The encoder bundle's id.</param>
/// <param name="Version">Its version.</param>
/// <param name="FeatureFormat">The feature format it produces, if declared.</param>
public sealed record KnownEncoder(string Id, SemVersion Version, string? FeatureFormat);
