namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>Where the inbox keeps received instances and when it stops accepting them.</summary>
public sealed record InboxOptions
{
    /// <summary>The inbox folder. Received instances live under it; partial ones only in its temporary folder.</summary>
    public required string Root { get; init; }

    /// <summary>New stores are refused (status A700) when the volume's free space falls below this many bytes.</summary>
    public long MinimumFreeBytes { get; init; } = 1L << 30;

    /// <summary>
    /// 0 (the default): every instance's file and directory are fsynced before it is acknowledged. Otherwise the size
    /// of each preallocated journal segment in <c>.journal/</c>: instances up to a quarter of it are acknowledged once
    /// their journal record is durable (see <c>docs/dicom-storage.md</c>). Opt-in because it measured faster only while
    /// other writers kept the file system's own journal busy (docs/dicom-storage.md, bench/README.md).
    /// </summary>
    public long JournalSegmentBytes { get; init; }

    /// <summary>The suggested <see cref="JournalSegmentBytes"/> when the journal is wanted: 32 MiB (written with zeros
    /// when created), so instances up to 8 MiB (any CT or MR slice) are journaled.</summary>
    public const long SuggestedJournalSegmentBytes = 32L << 20;

    /// <summary>How the inbox opens a received file to read its header; tests put failing streams here.</summary>
    internal Func<string, Stream>? OpenRead { get; init; }
}
