using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Which version a rollback goes to: the one asked for, or the newest installed version older than the serving one.</summary>
public static class RollbackTarget
{
    /// <summary>Chooses the target among <paramref name="installed"/> versions of <paramref name="id"/>; refused versions are never chosen.</summary>
    /// <param name="id">The bundle id.</param>
    /// <param name="toVersion">The version asked for, or null.</param>
    /// <param name="serving">The version serving now (a running host's, or the serving candidate offline), or null.</param>
    /// <param name="installed">The installed versions.</param>
    /// <param name="control">The site's refusals.</param>
    /// <exception cref="InvalidOperationException">No such version is installed, it is refused, or nothing older than the serving one is.</exception>
    /// <exception cref="FormatException"><paramref name="toVersion"/> is not a version.</exception>
    public static SemVersion Choose(string id, string? toVersion, SemVersion? serving, IEnumerable<InstalledVersion> installed, SiteControl control)
    {
        ArgumentNullException.ThrowIfNull(control);
        var versions = installed.Where(v => v.Id == id).Select(v => v.Version).ToList();
        if (toVersion is not null)
        {
            var wanted = SemVersion.TryParse(toVersion, SemVersionStyles.Strict, out var parsed) ? parsed : throw new FormatException($"\"{toVersion}\" is not a semantic version");
            if (!versions.Any(v => v.ComparePrecedenceTo(wanted) == 0))
            {
                throw new InvalidOperationException($"{id} {wanted} is not installed (installed: {Listing(versions)})");
            }

            return control.RefusalOf(id, wanted.ToString()) is { } refusal
                ? throw new InvalidOperationException($"{id} {wanted} is refused ({refusal.Reason})")
                : wanted;
        }

        var reference = serving ?? versions.Where(v => !control.IsRefused(id, v.ToString())).OrderByDescending(v => v, SemVersion.SortOrderComparer).FirstOrDefault()
            ?? throw new InvalidOperationException($"no version of {id} is installed");
        return versions
            .Where(v => v.ComparePrecedenceTo(reference) < 0 && !control.IsRefused(id, v.ToString()))
            .OrderByDescending(v => v, SemVersion.SortOrderComparer)
            .FirstOrDefault()
            ?? throw new InvalidOperationException($"no installed version of {id} is older than {reference} (installed: {Listing(versions)})");
    }

    private static string Listing(IEnumerable<SemVersion> versions) =>
        string.Join(", ", versions.OrderBy(v => v, SemVersion.SortOrderComparer).Select(v => v.ToString())) is { Length: > 0 } text ? text : "none";
}
