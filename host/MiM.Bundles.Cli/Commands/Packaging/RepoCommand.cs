using System.CommandLine;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>`mim repo`: static bundle repositories — publish into one, re-sign its index, serve one, sync a bundles folder from one.</summary>
internal static class RepoCommand
{
    public static Command Create()
    {
        var command = new Command("repo", "Bundle repositories: a folder of .mimb archives and a signed index.json, served as static files.");
        command.Subcommands.Add(RepoPublishCommand.Create());
        command.Subcommands.Add(RepoRefreshCommand.Create());
        command.Subcommands.Add(RepoServeCommand.Create());
        command.Subcommands.Add(RepoSyncCommand.Create());
        return command;
    }
}
