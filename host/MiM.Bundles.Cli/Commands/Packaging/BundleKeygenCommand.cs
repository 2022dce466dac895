using System.CommandLine;
using MiM.Bundles.Packaging.Keys;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim bundle keygen --id ID --out DIR`: a new ECDSA P-256 publisher key, DIR/ID.key (0600) and DIR/ID.pub.</summary>
internal static class BundleKeygenCommand
{
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "The key id, e.g. acme-2026 (lower-case letters, digits, '.', '_', '-').", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The folder to write ID.key and ID.pub into.", Required = true };
        var days = new Option<int>("--expires-days") { Description = "Days until the key expires; signatures are refused after that.", DefaultValueFactory = _ => 730 };
        var command = new Command(
            "keygen",
            "Make a publisher key: DIR/ID.key (private, mode 0600: keep it secret) and DIR/ID.pub (give it to sites for their trust store).");
        command.Options.Add(id);
        command.Options.Add(output);
        command.Options.Add(days);
        command.SetAction(parse => PackagingExitCodes.Run(() =>
        {
            var now = DateTimeOffset.UtcNow;
            using var key = PublisherSigningKey.Generate(parse.GetValue(id)!, now, now.AddDays(parse.GetValue(days)));
            var (privatePath, publicPath) = key.Save(parse.GetValue(output)!.FullName);
            Console.WriteLine($"private key  {privatePath} (keep secret)");
            Console.WriteLine($"public key   {publicPath}");
            Console.WriteLine($"key id       {key.KeyId}, expires {key.PublicKey.Document.Expires:yyyy-MM-dd}, {key.PublicKey.Fingerprint}");
            return 0;
        }));
        return command;
    }
}
