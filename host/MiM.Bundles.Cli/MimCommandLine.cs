using System.CommandLine;
using MiM.Bundles.Cli.Commands;
using MiM.Bundles.Cli.Commands.Bundles;

namespace MiM.Bundles.Cli;

/// <summary>The verbs of `mim`. Each verb lives in its own class under Commands/.</summary>
internal static class MimCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "mim — MiM (Mask in Mask) pre-training for 3D CT and a DICOM host for model bundles.\n"
            + "Run `mim <verb> --help` for what each verb does.");
        root.Subcommands.Add(InfoCommand.Create());
        root.Subcommands.Add(Commands.Demo.DemoCommand.Create());
        root.Subcommands.Add(PhantomCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(FinetuneCommand.Create());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(InferCommand.Create());
        root.Subcommands.Add(DicomCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());

        // `mim bundle`: packaging verbs (keygen/pack/sign/verify/install) and authoring verbs (new/validate/inspect).
        var bundle = Commands.Packaging.BundleCommand.Create();
        BundleAuthoringCommands.AddTo(bundle);
        root.Subcommands.Add(bundle);
        root.Subcommands.Add(Commands.Packaging.RepoCommand.Create());
        return root;
    }
}
