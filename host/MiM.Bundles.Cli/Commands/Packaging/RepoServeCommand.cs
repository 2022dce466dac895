using System.Net;
using System.CommandLine;
using MiM.Bundles.Packaging.Repository;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim repo serve DIR --port N [--bind ADDRESS --cert PEM --key PEM]`: serve a repository folder read-only (HTTP on loopback, or HTTPS) with ETags, until Ctrl+C.</summary>
internal static class RepoServeCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The repository folder." };
        var port = new Option<int>("--port") { Description = "The TCP port (0: a free one, printed).", DefaultValueFactory = _ => 8080 };
        var bind = new Option<string>("--bind") { Description = "The address to listen on; anything but loopback needs --cert.", DefaultValueFactory = _ => "127.0.0.1" };
        var certificate = new Option<FileInfo?>("--cert") { Description = "PEM certificate (chain): serve HTTPS. Sites trust it with Mim:Subscriptions:Repositories:N:TlsTrust or `repo sync --tls-trust`." };
        var key = new Option<FileInfo?>("--key") { Description = "The certificate's PEM private key, when it is not in the --cert file." };
        var command = new Command(
            "serve",
            "Serve a repository folder as static files (GET/HEAD, ETag and If-None-Match) until Ctrl+C: plain HTTP on 127.0.0.1 "
            + "by default, HTTPS with --cert (then --bind may name a network address). Index and archives are signed either way; "
            + "TLS keeps the models private on the wire.");
        command.Arguments.Add(folder);
        command.Options.Add(port);
        command.Options.Add(bind);
        command.Options.Add(certificate);
        command.Options.Add(key);
        command.SetAction((parse, cancellation) => PackagingExitCodes.RunAsync(async () =>
        {
            if (!IPAddress.TryParse(parse.GetValue(bind), out var address))
            {
                throw new ArgumentException($"--bind: '{parse.GetValue(bind)}' is not an IP address");
            }

            var options = new StaticRepositoryServerOptions
            {
                Port = parse.GetValue(port),
                BindAddress = address,
                CertificateFile = parse.GetValue(certificate)?.FullName,
                PrivateKeyFile = parse.GetValue(key)?.FullName,
            };
            var server = StaticRepositoryServer.Start(parse.GetValue(folder)!.FullName, options, line => Console.WriteLine(line));
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
