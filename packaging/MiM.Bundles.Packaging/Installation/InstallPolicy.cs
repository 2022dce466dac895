using Semver;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>What an installation may do beyond the default: install an older version than one already there.</summary>
public sealed record InstallPolicy
{
    /// <summary>The default: no downgrades.</summary>
    public static InstallPolicy Default { get; } = new();

    /// <summary>Install an older version even when a newer one is installed.</summary>
    public bool AllowDowngrade { get; init; }

    /// <summary>Bundle id to the version the site pinned: installing exactly that version is never a refused downgrade.</summary>
    public IReadOnlyDictionary<string, SemVersion> Pins { get; init; } = new Dictionary<string, SemVersion>();
}
