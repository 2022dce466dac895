namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>The outbox's folders and which destination names can be folder names beside them.</summary>
internal static class OutboxLayout
{
    /// <summary>Jobs being enqueued; whatever a crash leaves here was never acknowledged and is removed at start.</summary>
    public const string Incoming = ".incoming";

    /// <summary>Jobs that failed every attempt, with a reason.txt each.</summary>
    public const string DeadLetter = "dead-letter";

    /// <summary>Delivered jobs, when <see cref="OutboxOptions.KeepSent"/> is set.</summary>
    public const string Sent = "sent";

    /// <summary>The job's manifest file name.</summary>
    public const string Manifest = "manifest.json";

    /// <summary>The reason file of a dead-lettered job.</summary>
    public const string Reason = "reason.txt";

    /// <summary>True for a name that is a safe folder name and none of the outbox's own folders.</summary>
    public static bool IsValidDestinationName(string? name)
        => name is { Length: > 0 and <= 64 }
           && char.IsAsciiLetterOrDigit(name[0])
           && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
           && !name.Equals(DeadLetter, StringComparison.OrdinalIgnoreCase)
           && !name.Equals(Sent, StringComparison.OrdinalIgnoreCase);
}
