using System.CommandLine;
using MiM.Bundles.Packaging.Repository;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim repo serve DIR --port N`: serve a repository folder read-only on 127.0.0.1 with ETags, until Ctrl+C.</summary>
internal static class RepoServeCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The repository folder." };
        var port = new Option<int>("--port") { Description = "The TCP port on 127.0.0.1.", DefaultValueFactory = _ => 8080 };
        var command = new Command(
            "serve",
            "Serve a repository folder as static files on 127.0.0.1 (GET/HEAD, ETag and If-None-Match) until Ctrl+C. "
            + "Put a TLS reverse proxy in front to serve other machines.");
        command.Arguments.Add(folder);
        command.Options.Add(port);
        command.SetAction((parse, cancellation) => PackagingExitCodes.RunAsync(async () =>
        {
            var server = StaticRepositoryServer.Start(parse.GetValue(folder)!.FullName, parse.GetValue(port), line => Console.WriteLine(line));
            await using (server.ConfigureAwait(false))
            {
                Console.WriteLine($"serving {parse.GetValue(folder)!.FullName} at {server.Address} (Ctrl+C to stop)");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellation).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: stop serving.
                }
            }

            return 0;
        }));
        return command;
    }
}
