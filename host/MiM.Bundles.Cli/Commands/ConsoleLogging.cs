using Microsoft.Extensions.Logging;

namespace MiM.Bundles.Cli.Commands;

/// <summary>The console logger every verb uses: one line per message, timestamps, no scopes.</summary>
internal static class ConsoleLogging
{
    public static ILoggerFactory Create() => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        }));
}
