using MiM.Bundles.Packaging.Archives;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>A bundle installed and verified.</summary>
/// <param name="Directory">Its folder, &lt;bundles&gt;/&lt;id&gt;/&lt;version&gt;/.</param>
/// <param name="Archive">Its verified manifest, signer and metadata.</param>
public sealed record InstalledBundle(string Directory, VerifiedArchive Archive)
{
    /// <summary>The bundle id.</summary>
    public string Id => Archive.Manifest.Id;

    /// <summary>The bundle version.</summary>
    public string Version => Archive.Manifest.Version;
}
