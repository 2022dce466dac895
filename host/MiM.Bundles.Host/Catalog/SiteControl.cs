using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// What the site decided at run time about which bundle versions may serve, kept in <see cref="SiteControlFile"/>:
/// operator pins (rollback pins too), bundle ids an operator unloaded, and versions refused because their warm-up
/// failed after a subscription installed them, and candidate versions in shadow.
/// </summary>
public sealed record SiteControl
{
    /// <summary>The format tag written and accepted.</summary>
    public const string CurrentFormat = "mim-site-control/1";

    /// <summary>An empty state: no runtime pins, nothing unloaded or refused.</summary>
    public static SiteControl Empty { get; } = new();

    /// <summary>Always <see cref="CurrentFormat"/>.</summary>
    public string Format { get; init; } = CurrentFormat;

    /// <summary>Bundle id to its runtime pin. A runtime pin replaces the configured pin of the same id.</summary>
    public IReadOnlyDictionary<string, OperatorPin> Pins { get; init; } = new Dictionary<string, OperatorPin>(StringComparer.Ordinal);

    /// <summary>Bundle ids an operator unloaded: none of their versions serves until loaded again.</summary>
    public IReadOnlyDictionary<string, OperatorNote> Unloaded { get; init; } = new Dictionary<string, OperatorNote>(StringComparer.Ordinal);

    /// <summary>
    /// Bundle id to the candidate version that runs in shadow beside the serving one: it gets the same series, its
    /// results stay on the host, and it never serves while it is the shadow.
    /// </summary>
    public IReadOnlyDictionary<string, ShadowCandidate> Shadows { get; init; } = new Dictionary<string, ShadowCandidate>(StringComparer.Ordinal);

    /// <summary>True when <paramref name="version"/> of <paramref name="id"/> is the shadow candidate.</summary>
    public bool IsShadow(string id, SemVersion version) =>
        Shadows.TryGetValue(id, out var shadow) && SemVersion.TryParse(shadow.Version, SemVersionStyles.Strict, out var parsed) && parsed.ComparePrecedenceTo(version) == 0;

    /// <summary>Versions that must not serve (their warm-up failed): never loaded again, never downloaded again.</summary>
    public IReadOnlyList<RefusedVersion> Refused { get; init; } = [];

    /// <summary>True when <paramref name="id"/> <paramref name="version"/> is refused.</summary>
    public bool IsRefused(string id, string version) => Refused.Any(r => r.Id == id && r.Version == version);

    /// <summary>The refusal of <paramref name="id"/> <paramref name="version"/>, or null.</summary>
    public RefusedVersion? RefusalOf(string id, string version) => Refused.FirstOrDefault(r => r.Id == id && r.Version == version);

    /// <summary>The configured pins with the runtime pins laid over them (a runtime pin wins for its id).</summary>
    /// <exception cref="FormatException">A runtime pin is neither a version nor a range.</exception>
    public BundlePins EffectivePins(BundlePins configured)
    {
        ArgumentNullException.ThrowIfNull(configured);
        return configured.With(Pins.ToDictionary(p => p.Key, p => p.Value.Range, StringComparer.Ordinal));
    }
}

/// <summary>A runtime pin and who set it.</summary>
/// <param name="Range">An exact version or an npm-style range.</param>
/// <param name="By">Who asked (e.g. <c>cli:alice</c>, <c>api:admin</c>).</param>
/// <param name="At">When.</param>
/// <param name="Reason">Why, when known (e.g. <c>rollback from 1.1.0</c>).</param>
public sealed record OperatorPin(string Range, string By, DateTimeOffset At, string? Reason = null);

/// <summary>Who made a runtime decision, and when.</summary>
/// <param name="By">Who asked.</param>
/// <param name="At">When.</param>
public sealed record OperatorNote(string By, DateTimeOffset At);

/// <summary>A version the site refuses to serve.</summary>
/// <param name="Id">The bundle id.</param>
/// <param name="Version">The version.</param>
/// <param name="Reason">Why (the warm-up failure).</param>
/// <param name="At">When it was refused.</param>
public sealed record RefusedVersion(string Id, string Version, string Reason, DateTimeOffset At);

/// <summary>A candidate version put in shadow, and who put it there.</summary>
/// <param name="Version">The exact candidate version.</param>
/// <param name="By">Who asked.</param>
/// <param name="At">When.</param>
public sealed record ShadowCandidate(string Version, string By, DateTimeOffset At);
