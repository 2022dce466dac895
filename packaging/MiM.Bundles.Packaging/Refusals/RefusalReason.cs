namespace MiM.Bundles.Packaging.Refusals;

/// <summary>Why an archive, an installed bundle or a repository index was refused. Each value is one check.</summary>
public enum RefusalReason
{
    /// <summary>The archive is not a readable zip, or a manifest or signature document is malformed.</summary>
    Malformed,

    /// <summary>The archive has no signature.</summary>
    NoSignature,

    /// <summary>The signing key is not in the trust store.</summary>
    UnknownKey,

    /// <summary>The signing key's expiry date has passed.</summary>
    ExpiredKey,

    /// <summary>The signing key is on the trust store's revocation list.</summary>
    RevokedKey,

    /// <summary>The signing key is trusted, but not for this bundle id (or not for signing repository indexes).</summary>
    KeyNotAllowed,

    /// <summary>The signature does not match the manifest (or index) bytes.</summary>
    BadSignature,

    /// <summary>A file's bytes differ from the manifest: size or SHA-256.</summary>
    ChangedFile,

    /// <summary>A file the manifest lists is absent.</summary>
    MissingFile,

    /// <summary>A file or entry the manifest does not list is present.</summary>
    ExtraFile,

    /// <summary>A path would leave the bundle root: "..", absolute, a drive, a backslash, an empty or control-character name.</summary>
    UnsafePath,

    /// <summary>An entry is a symbolic link, a device, a FIFO or a socket, or an installed file is a link.</summary>
    LinkOrDevice,

    /// <summary>The expanded bytes or the number of files exceed the limits.</summary>
    TooLarge,

    /// <summary>Two entries share a name (compared without case, as a case-insensitive file system would).</summary>
    DuplicateEntry,

    /// <summary>A newer version of the bundle is installed and this one is neither pinned nor explicitly allowed.</summary>
    Downgrade,

    /// <summary>This id and version are already installed.</summary>
    AlreadyInstalled,

    /// <summary>configs/metadata.json disagrees with the signed manifest about the id or version.</summary>
    MetadataMismatch,

    /// <summary>A repository index is unsigned, badly signed, or older than one already seen.</summary>
    IndexRejected,
}
