using System.CommandLine;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// `mim bundle`: the bundle verb group. Distribution adds keygen, pack, sign, verify, install, list, rollback, shadow and promote; other bundle verbs
/// (new, validate, inspect) add their own subcommand here, one line each.
/// </summary>
internal static class BundleCommand
{
    public static Command Create()
    {
        var command = new Command("bundle", "Model bundles: make publisher keys, pack and sign .mimb archives, verify and install them.");
        command.Subcommands.Add(BundleKeygenCommand.Create());
        command.Subcommands.Add(BundlePackCommand.Create());
        command.Subcommands.Add(BundleSignCommand.Create());
        command.Subcommands.Add(BundleVerifyCommand.Create());
        command.Subcommands.Add(BundleInstallCommand.Create());
        command.Subcommands.Add(BundleListCommand.Create());
        command.Subcommands.Add(BundleRollbackCommand.Create());
        command.Subcommands.Add(BundleShadowCommand.Create());
        command.Subcommands.Add(BundlePromoteCommand.Create());
        return command;
    }
}
