using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>The inbox journal's log messages.</summary>
internal static partial class JournalLog
{
    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Inbox journal: {Replayed} acknowledged instances restored from the journal after an interrupted run")]
    public static partial void Replayed(ILogger logger, int replayed);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Debug, Message = "Inbox journal checkpointed through record {Sequence} ({Files} instance files made durable)")]
    public static partial void Checkpointed(ILogger logger, long sequence, int files);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "Inbox journal checkpoint failed; its records stay in the journal and are replayed at the next start")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Warning, Message = "Inbox journal: a spare segment could not be prepared; rolling over will create one itself")]
    public static partial void SpareFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Error, Message = "Inbox journal failed; instances not yet durable are refused, later ones are fsynced in place")]
    public static partial void Broken(ILogger logger, Exception exception);
}
