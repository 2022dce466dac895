using System.Text.Json.Serialization;

namespace MiM.Bundles.Packaging.Repository;

/// <summary>The channel a release is published on. A host following "candidate" also takes stable releases.</summary>
public enum ReleaseChannel
{
    /// <summary>For production: "stable" in index.json.</summary>
    [JsonStringEnumMemberName("stable")]
    Stable,

    /// <summary>For trying before promotion: "candidate" in index.json.</summary>
    [JsonStringEnumMemberName("candidate")]
    Candidate,
}
