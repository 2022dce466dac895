namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>Where the inbox keeps received instances and when it stops accepting them.</summary>
public sealed record InboxOptions
{
    /// <summary>The inbox folder. Received instances live under it; partial ones only in its temporary folder.</summary>
    public required string Root { get; init; }

    /// <summary>New stores are refused (status A700) when the volume's free space falls below this many bytes.</summary>
    public long MinimumFreeBytes { get; init; } = 1L << 30;

    /// <summary>How the inbox opens a received file to read its header; tests put failing streams here.</summary>
    internal Func<string, Stream>? OpenRead { get; init; }
}
