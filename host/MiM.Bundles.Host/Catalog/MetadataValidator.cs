using System.Globalization;
using System.Text.RegularExpressions;
using MiM.Bundles.Contracts;
using MiM.Bundles.Contracts.Bundles;
using Semver;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Checks configs/metadata.json field by field; adds one problem per fault, never stops at the first.</summary>
public static partial class MetadataValidator
{
    private const string File = BundleLayout.Metadata;

    /// <summary>Adds a problem for every fault of <paramref name="metadata"/>.</summary>
    /// <param name="metadata">The metadata read.</param>
    /// <param name="knownEncoders">Encoder versions that can satisfy a head's <c>requires</c>.</param>
    /// <param name="problems">Where problems go.</param>
    public static void Validate(BundleMetadata metadata, IReadOnlyCollection<KnownEncoder> knownEncoders, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(knownEncoders);
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(metadata.Id))
        {
            problems.Add(new(File, "id", "missing"));
        }
        else if (!IdPattern().IsMatch(metadata.Id))
        {
            problems.Add(new(File, "id", $"\"{metadata.Id}\" must be lower-case letters, digits, '.', '-' or '_', starting with a letter or digit"));
        }

        _ = RequireSemver(metadata.Version, "version", problems);
        RequireText(metadata.Kind, "kind", problems);
        RequireText(metadata.License, "license", problems);
        RequireText(metadata.IntendedUse, "intended_use", problems);
        if (metadata.Authors is not { Count: > 0 } || metadata.Authors.Any(string.IsNullOrWhiteSpace))
        {
            problems.Add(new(File, "authors", "must list at least one author, none empty"));
        }

        if (metadata.Changelog is not { Count: > 0 })
        {
            problems.Add(new(File, "changelog", "missing: a changelog maps each version to what changed"));
        }
        else if (metadata.Version is not null && !metadata.Changelog.ContainsKey(metadata.Version))
        {
            problems.Add(new(File, "changelog", $"has no entry for this version {metadata.Version}"));
        }

        ValidateContracts(metadata.ContractsVersion, problems);
        ValidateTask(metadata, knownEncoders, problems);
        NetworkDataFormatValidator.Validate(metadata, problems);
    }

    private static void ValidateContracts(string? declared, ICollection<BundleProblem> problems)
    {
        if (RequireSemver(declared, "contracts_version", problems) is not { } contracts)
        {
            return;
        }

        if (contracts.Major != ContractsVersion.Major)
        {
            problems.Add(new(File, "contracts_version", $"major version {contracts.Major} is not implemented by this host (contracts {ContractsVersion.Current})"));
        }
        else if (contracts.Minor > ContractsVersion.Minor)
        {
            problems.Add(new(File, "contracts_version", $"{declared} is newer than this host's contracts {ContractsVersion.Current}"));
        }
    }

    private static void ValidateTask(BundleMetadata metadata, IReadOnlyCollection<KnownEncoder> knownEncoders, ICollection<BundleProblem> problems)
    {
        var requires = metadata.Requires ?? new Dictionary<string, string>();
        foreach (var (id, rangeText) in requires)
        {
            if (!SemVersionRange.TryParseNpm(rangeText, out var range))
            {
                problems.Add(new(File, $"requires.{id}", $"\"{rangeText}\" is not a semver range (npm syntax, e.g. \"^1.0\")"));
                continue;
            }

            var candidates = knownEncoders.Where(e => e.Id == id).ToList();
            if (!candidates.Any(e => e.Version.Satisfies(range)))
            {
                var known = candidates.Count == 0 ? "no encoder with that id is known" : "known: " + string.Join(", ", candidates.Select(e => e.Version));
                problems.Add(new(File, $"requires.{id}", $"no known encoder meets {id} {rangeText} ({known})"));
            }
            else if (metadata.FeatureFormat is { } format
                && !candidates.Any(e => e.Version.Satisfies(range) && (e.FeatureFormat is null || e.FeatureFormat == format)))
            {
                problems.Add(new(File, $"requires.{id}", $"no known encoder meeting {rangeText} produces feature format \"{format}\""));
            }
        }

        switch (metadata.Task)
        {
            case null or "":
                problems.Add(new(File, "task", $"missing; one of {string.Join(", ", BundleTasks.All)}"));
                break;
            case BundleTasks.Encoder:
                if (requires.Count > 0)
                {
                    problems.Add(new(File, "requires", "an encoder requires no other encoder"));
                }

                break;
            case BundleTasks.Segmentation or BundleTasks.Classification:
                ValidateHeadEncoder(metadata, requires, problems);
                break;
            default:
                problems.Add(new(File, "task", $"\"{metadata.Task}\" is not one of {string.Join(", ", BundleTasks.All)}"));
                break;
        }
    }

    private static void ValidateHeadEncoder(BundleMetadata metadata, IReadOnlyDictionary<string, string> requires, ICollection<BundleProblem> problems)
    {
        switch (metadata.Encoder)
        {
            case BundleTasks.SharedEncoder when requires.Count != 1:
                problems.Add(new(File, "requires", $"a head with a shared encoder requires exactly one encoder, names {requires.Count}"));
                break;
            case BundleTasks.EmbeddedEncoder when requires.Count > 0:
                problems.Add(new(File, "requires", "a head that carries its own encoder requires none"));
                break;
            case BundleTasks.SharedEncoder or BundleTasks.EmbeddedEncoder or null:
                break;
            default:
                problems.Add(new(File, "encoder", $"\"{metadata.Encoder}\" is neither \"shared\" nor \"embedded\""));
                break;
        }
    }

    private static SemVersion? RequireSemver(string? text, string field, ICollection<BundleProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new(File, field, "missing"));
            return null;
        }

        if (!SemVersion.TryParse(text, SemVersionStyles.Strict, out var version))
        {
            problems.Add(new(File, field, string.Create(CultureInfo.InvariantCulture, $"\"{text}\" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)")));
            return null;
        }

        return version;
    }

    private static void RequireText(string? text, string field, ICollection<BundleProblem> problems)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add(new(File, field, "missing"));
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*$")]
    private static partial Regex IdPattern();
}
