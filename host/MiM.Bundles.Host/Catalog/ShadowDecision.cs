using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// The site-control changes of shadow mode, checked the same way whether a running host (<see cref="BundleControl"/>)
/// or `mim bundle shadow|promote` offline makes them: putting a candidate in shadow, and promoting a version (a pin to
/// it, with its shadow cleared).
/// </summary>
public static class ShadowDecision
{
    /// <summary>
    /// <paramref name="control"/> with <paramref name="version"/> of <paramref name="id"/> as its shadow candidate, or
    /// with the shadow cleared when <paramref name="version"/> is null.
    /// </summary>
    /// <param name="control">The current site control.</param>
    /// <param name="id">The bundle id.</param>
    /// <param name="version">The candidate version, exact; null clears the shadow.</param>
    /// <param name="serving">The version serving now (or the offline serving candidate), or null.</param>
    /// <param name="installed">The installed versions.</param>
    /// <param name="by">Who asked.</param>
    /// <param name="at">When.</param>
    /// <exception cref="FormatException"><paramref name="version"/> is not a semantic version.</exception>
    /// <exception cref="InvalidOperationException">It is not installed, refused, or the version that serves.</exception>
    public static SiteControl Shadow(SiteControl control, string id, string? version, SemVersion? serving, IEnumerable<InstalledVersion> installed, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var shadows = new Dictionary<string, ShadowCandidate>(control.Shadows, StringComparer.Ordinal);
        if (version is null)
        {
            if (!shadows.Remove(id, out var cleared))
            {
                return control;
            }

            // A candidate newer than what serves would take over at the next scan once it is no longer the shadow:
            // clearing must not promote it, so the serving version is pinned unless a runtime pin already decides.
            var candidate = SemVersion.Parse(cleared.Version, SemVersionStyles.Strict);
            if (serving is null || candidate.ComparePrecedenceTo(serving) <= 0 || control.Pins.ContainsKey(id))
            {
                return control with { Shadows = shadows };
            }

            var pins = new Dictionary<string, OperatorPin>(control.Pins, StringComparer.Ordinal)
            {
                [id] = new OperatorPin(serving.ToString(), by, at, $"shadow of {candidate} cleared"),
            };
            return control with { Shadows = shadows, Pins = pins };
        }

        var wanted = InstalledTarget(control, id, version, installed);
        if (serving is not null && serving.ComparePrecedenceTo(wanted) == 0)
        {
            throw new InvalidOperationException($"{id} {wanted} is the version that serves; a shadow candidate must be another installed version");
        }

        shadows[id] = new ShadowCandidate(wanted.ToString(), by, at);
        return control with { Shadows = shadows };
    }

    /// <summary>
    /// <paramref name="control"/> with <paramref name="id"/> pinned to <paramref name="version"/> (the reason names
    /// the promotion) and a shadow of that version cleared: a running host switches to it, already warm when it was
    /// the shadow.
    /// </summary>
    /// <exception cref="FormatException"><paramref name="version"/> is not a semantic version.</exception>
    /// <exception cref="InvalidOperationException">It is not installed or refused.</exception>
    public static SiteControl Promote(SiteControl control, string id, string version, IEnumerable<InstalledVersion> installed, string by, DateTimeOffset at, string reason)
    {
        ArgumentNullException.ThrowIfNull(control);
        ArgumentException.ThrowIfNullOrEmpty(id);
        var wanted = InstalledTarget(control, id, version, installed);
        var shadows = new Dictionary<string, ShadowCandidate>(control.Shadows, StringComparer.Ordinal);
        if (control.IsShadow(id, wanted))
        {
            shadows.Remove(id);
        }

        var pins = new Dictionary<string, OperatorPin>(control.Pins, StringComparer.Ordinal)
        {
            [id] = new OperatorPin(wanted.ToString(), by, at, reason),
        };
        return control with { Pins = pins, Shadows = shadows };
    }

    private static SemVersion InstalledTarget(SiteControl control, string id, string version, IEnumerable<InstalledVersion> installed)
    {
        ArgumentNullException.ThrowIfNull(installed);
        var wanted = SemVersion.TryParse(version, SemVersionStyles.Strict, out var parsed)
            ? parsed
            : throw new FormatException($"\"{version}\" is not a semantic version (a shadow or promotion names one exact version)");
        var versions = installed.Where(v => v.Id == id).Select(v => v.Version).ToList();
        if (!versions.Any(v => v.ComparePrecedenceTo(wanted) == 0))
        {
            var listing = string.Join(", ", versions.OrderBy(v => v, SemVersion.SortOrderComparer).Select(v => v.ToString()));
            throw new InvalidOperationException($"{id} {wanted} is not installed (installed: {(listing.Length == 0 ? "none" : listing)})");
        }

        return control.RefusalOf(id, wanted.ToString()) is { } refusal
            ? throw new InvalidOperationException($"{id} {wanted} is refused ({refusal.Reason})")
            : wanted;
    }
}
