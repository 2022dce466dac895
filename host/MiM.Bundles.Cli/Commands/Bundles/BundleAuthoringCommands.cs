using System.CommandLine;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>The authoring verbs of `mim bundle`: new, validate, inspect.</summary>
internal static class BundleAuthoringCommands
{
    /// <summary>Adds the authoring verbs to the `bundle` verb group.</summary>
    public static void AddTo(Command bundleGroup)
    {
        ArgumentNullException.ThrowIfNull(bundleGroup);
        bundleGroup.Subcommands.Add(BundleNewCommand.Create());
        bundleGroup.Subcommands.Add(BundleValidateCommand.Create());
        bundleGroup.Subcommands.Add(BundleInspectCommand.Create());
    }
}
