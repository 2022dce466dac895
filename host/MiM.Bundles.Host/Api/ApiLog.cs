using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Host.Api;

/// <summary>The API server's log lines (addresses and settings only).</summary>
internal static partial class ApiLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "REST API listening on {Addresses} (API key {KeyState})")]
    public static partial void Listening(ILogger logger, string addresses, string keyState);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning, Message = "REST API request without a valid API key from {Remote} to {Path}")]
    public static partial void Unauthorised(ILogger logger, string remote, string path);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information, Message = "REST API stopped")]
    public static partial void Stopped(ILogger logger);
}
