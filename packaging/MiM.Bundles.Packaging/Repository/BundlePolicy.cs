using Semver;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>
/// Which version of one bundle a host wants from a repository: exactly a pinned version, or else the newest release on
/// its channel within a semver range (npm style: "^1.0", "~1.2.3", "&gt;=1.0.0 &lt;2.0.0", "*").
/// </summary>
public sealed record BundlePolicy
{
    /// <summary>A policy following <paramref name="channel"/> within <paramref name="range"/>.</summary>
    public BundlePolicy(string id, ReleaseChannel channel = ReleaseChannel.Stable, string range = "*")
    {
        Id = id;
        Channel = channel;
        RangeText = range;
        // Candidates are usually pre-releases (1.3.0-rc.1), which npm ranges leave out unless asked.
        Range = SemVersionRange.ParseNpm(range, includeAllPrerelease: channel == ReleaseChannel.Candidate);
    }

    /// <summary>The bundle id.</summary>
    public string Id { get; }

    /// <summary>The channel followed when not pinned.</summary>
    public ReleaseChannel Channel { get; }

    /// <summary>The range as written.</summary>
    public string RangeText { get; }

    /// <summary>The parsed range.</summary>
    public SemVersionRange Range { get; }

    /// <summary>When set, exactly this version, whatever its channel; it may be older than what is installed.</summary>
    public SemVersion? Pinned { get; init; }

    /// <summary>The release this policy picks from <paramref name="index"/>, or null when none fits.</summary>
    public IndexRelease? Choose(RepositoryIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        IndexRelease? best = null;
        SemVersion? bestVersion = null;
        foreach (var release in index.Releases.Where(r => r.Id == Id))
        {
            if (!SemVersion.TryParse(release.Version, SemVersionStyles.Strict, out var version))
            {
                continue;
            }

            var fits = Pinned is not null
                ? Pinned.ComparePrecedenceTo(version) == 0
                : (release.Channel == ReleaseChannel.Stable || Channel == ReleaseChannel.Candidate) && Range.Contains(version);
            if (fits && (bestVersion is null || version.ComparePrecedenceTo(bestVersion) > 0))
            {
                best = release;
                bestVersion = version;
            }
        }

        return best;
    }
}
