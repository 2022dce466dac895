namespace MiM.Bundles.Contracts;

/// <summary>The semantic version of the plugin contracts; bundles declare the version they were built against.</summary>
public static class ContractsVersion
{
    /// <summary>The contracts version this assembly implements.</summary>
    public const string Current = "1.0.0";
}
