using System.CommandLine;
using MiM.Bundles.Model.Weights;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// `mim bundle new --from PATH --out DIR --id ID --version X.Y.Z`: a bundle from a training output. A `mim pretrain` run
/// folder gives an encoder bundle; a `mim finetune` model folder (RUN/best) gives a segmentation head bundle, split
/// from its encoder when that is exact (--encoder), else carrying its own. The result is validated like `mim bundle validate`.
/// </summary>
internal static class BundleNewCommand
{
    public static Command Create()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "A `mim pretrain` run folder (→ encoder bundle) or a `mim finetune` model folder such as RUN/best (→ segmentation or classification head bundle).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The new bundle folder; must not exist.", Required = true };
        var id = new Option<string>("--id") { Description = "Bundle id: lower-case letters, digits, '.', '-', '_'.", Required = true };
        var version = new Option<string>("--version") { Description = "Semantic version X.Y.Z.", Required = true };
        var encoder = new Option<DirectoryInfo?>("--encoder") { Description = "Head only: the encoder bundle to share, when the head was fine-tuned with exactly that encoder frozen." };
        var segments = new Option<FileInfo?>("--segments") { Description = "Head only: segments file giving each class name its SNOMED CT codes and colour (default: configs/segments/phantom-abdomen.json)." };
        var author = new Option<string[]>("--author") { Description = "Author (repeatable).", DefaultValueFactory = _ => ["MiM.Bundles model team"] };
        var license = new Option<string>("--license") { Description = "Licence name or SPDX id.", DefaultValueFactory = _ => "proprietary" };
        var licenseFile = new Option<FileInfo?>("--license-file") { Description = "Licence text copied to LICENSE (default: a line naming --license)." };
        var changelog = new Option<string?>("--changelog") { Description = "What this version changes (default: where it came from)." };
        var intendedUse = new Option<string>("--intended-use") { Description = "What the bundle is for.", DefaultValueFactory = _ => "Research use only; not for diagnostic use." };
        var seed = new Option<ulong>("--seed") { Description = "Encoder only: seed of the encoder parts pre-training does not train (use the fine-tuning recipe's data seed to share the encoder with heads).", DefaultValueFactory = _ => 0 };
        var command = new Command("new", "Make a bundle folder from a pre-training run (encoder) or a fine-tuned model folder (segmentation head), then validate it.")
        {
            from, output, id, version, encoder, segments, author, license, licenseFile, changelog, intendedUse, seed,
        };
        command.SetAction(parse =>
        {
            var source = parse.GetValue(from)!.FullName;
            var authoring = new BundleAuthoring(
                parse.GetValue(id)!, parse.GetValue(version)!, parse.GetValue(author)!, parse.GetValue(license)!, parse.GetValue(licenseFile)?.FullName,
                parse.GetValue(changelog) ?? $"Made by `mim bundle new` from {Path.GetFileName(source.TrimEnd('/'))}.", parse.GetValue(intendedUse)!);
            try
            {
                string folder;
                if (ClassificationModelFolder.IsClassificationFolder(source))
                {
                    folder = ClassificationHeadBundleAuthor.Write(source, parse.GetValue(output)!.FullName, authoring);
                    Console.Out.WriteLine($"{folder}: classification head {authoring.Id} {authoring.Version}; encoder embedded (fine-tuned with the head)");
                }
                else if (File.Exists(Path.Combine(source, SegmentationModelFolder.DescriptionFile)))
                {
                    var head = HeadBundleAuthor.Write(source, parse.GetValue(output)!.FullName, authoring, parse.GetValue(encoder)?.FullName, parse.GetValue(segments)?.FullName ?? SegmentCodes.DefaultFile);
                    folder = head.Folder;
                    Console.Out.WriteLine($"{folder}: segmentation head {authoring.Id} {authoring.Version}; encoder {(head.SharedEncoder ? "shared" : "embedded")}: {head.EncoderReason}");
                }
                else if (Directory.Exists(source))
                {
                    var (written, report) = EncoderBundleAuthor.Write(source, parse.GetValue(output)!.FullName, authoring, parse.GetValue(seed));
                    folder = written;
                    Console.Out.WriteLine($"{folder}: encoder {authoring.Id} {authoring.Version}; {report.Describe().First()}");
                }
                else
                {
                    Console.Error.WriteLine($"E: {source} does not exist");
                    return 2;
                }

                var validation = BundleValidateCommand.Validate(folder);
                foreach (var problem in validation.Problems)
                {
                    Console.Error.WriteLine($"E: {problem}");
                }

                Console.Out.WriteLine(validation.IsServable ? $"{folder}: servable" : $"{folder}: written but NOT servable ({validation.Problems.Count} problem(s))");
                return validation.IsServable ? 0 : 1;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or FileNotFoundException or ArgumentException or WeightMismatchException or FormatException)
            {
                Console.Error.WriteLine($"E: {e.Message}");
                return 2;
            }
        });
        return command;
    }
}
