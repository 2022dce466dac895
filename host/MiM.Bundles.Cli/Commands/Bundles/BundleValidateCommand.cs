using System.CommandLine;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>`mim bundle validate DIR`: exit 0 when the bundle is servable, else 1 and every problem, one line each.</summary>
internal static class BundleValidateCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The bundle folder (configs/, models/, docs/, LICENSE)." };
        var command = new Command(
            "validate",
            "Check a bundle folder as the host would before serving it: every problem is printed as FILE: FIELD: MESSAGE. "
            + "Encoders a head requires are looked for beside DIR and in the bundle directory (MIM_BUNDLE_DIR).")
        {
            folder,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!.FullName;
            var validation = Validate(path);
            foreach (var problem in validation.Problems)
            {
                Console.Error.WriteLine($"E: {problem}");
            }

            if (!validation.IsServable)
            {
                Console.Error.WriteLine($"{path}: {validation.Problems.Count} problem(s); not servable");
                return 1;
            }

            Console.Out.WriteLine($"{path}: {validation.Metadata!.Id} {validation.Metadata.Version} ({validation.Metadata.Kind}) is servable");
            return 0;
        });
        return command;
    }

    public static BundleValidation Validate(string path) =>
        new BundleValidator(new PluginBundleDescriber(StandardPlugins.Locator())).Validate(path, KnownEncoders.Around(path));
}
