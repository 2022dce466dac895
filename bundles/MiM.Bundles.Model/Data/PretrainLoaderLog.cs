using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Model.Data;

/// <summary>The loader's log messages. File paths only; nothing from image headers, which may name the patient.</summary>
internal static partial class PretrainLoaderLog
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information,
        Message = "Pre-training loader: {FileCount} files, crop {CropSize}, from step {FirstStep}, prefetch {Prefetch}, cache {CacheMiB} MiB")]
    public static partial void Started(ILogger logger, int fileCount, int cropSize, long firstStep, int prefetch, long cacheMiB);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Skipping unreadable pre-training file '{Path}': {Reason}")]
    public static partial void Skipped(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Debug, Message = "Prepared '{Path}': {SizeI}x{SizeJ}x{SizeK} in {ElapsedMs} ms")]
    public static partial void Prepared(ILogger logger, string path, int sizeI, int sizeJ, int sizeK, long elapsedMs);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Error, Message = "Pre-training loader stopped at step {Step}")]
    public static partial void Failed(ILogger logger, Exception exception, long step);
}
