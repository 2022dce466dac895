using System.CommandLine;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>The --valid-days option shared by `repo publish` and `repo refresh`: how long a written index.json is accepted.</summary>
internal static class RepoIndexValidity
{
    public static Option<int> Option() => new("--valid-days")
    {
        Description = "Days until clients refuse the written index.json (re-sign before with `mim repo refresh`); 0: it never expires.",
        DefaultValueFactory = _ => 0,
    };

    public static TimeSpan? From(int days) =>
        days < 0 ? throw new ArgumentException("--valid-days must be 0 or more") : days == 0 ? null : TimeSpan.FromDays(days);
}
