namespace MiM.Bundles.Contracts;

/// <summary>
/// The semantic version of the plugin contracts; bundles declare the version they were built against
/// (<c>contracts_version</c> in configs/metadata.json). A host serves a bundle whose major version equals
/// <see cref="Major"/> and whose minor version is at most <see cref="Minor"/>.
/// </summary>
/// <remarks>1.1.0 added <c>Bundles/</c>: what a bundle offers the host and what the host gives it.</remarks>
public static class ContractsVersion
{
    /// <summary>The contracts version this assembly implements.</summary>
    public const string Current = "1.1.0";

    /// <summary>The major version: a bundle built against another major is refused.</summary>
    public const int Major = 1;

    /// <summary>The minor version: a bundle that needs a newer minor is refused.</summary>
    public const int Minor = 1;
}
