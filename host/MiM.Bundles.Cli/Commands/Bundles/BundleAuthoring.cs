namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>What the user says about a new bundle on the command line.</summary>
/// <param name="Id">Bundle id.</param>
/// <param name="Version">Semantic version.</param>
/// <param name="Authors">Who made it.</param>
/// <param name="License">Licence name or SPDX id.</param>
/// <param name="LicenseFile">The licence text to copy, or null for a one-line LICENSE naming <paramref name="License"/>.</param>
/// <param name="Changelog">What this version changes.</param>
/// <param name="IntendedUse">What the bundle is for.</param>
internal sealed record BundleAuthoring(
    string Id, string Version, IReadOnlyList<string> Authors, string License, string? LicenseFile, string Changelog, string IntendedUse);
