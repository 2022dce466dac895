using System.CommandLine;
using System.Globalization;
using MiM.Bundles.Imaging.Datasets;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim phantom`: a synthetic abdominal CT data set with ground-truth organ labels.</summary>
internal static class PhantomCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder to write imagesTr/, labelsTr/ and dataset.json into (created if missing).",
            Required = true,
        };
        var count = new Option<int>("--count") { Description = "Number of cases.", DefaultValueFactory = _ => 10 };
        var size = new Option<int>("--size") { Description = "Voxels per axis (cube); at least 32.", DefaultValueFactory = _ => 128 };
        var seed = new Option<int>("--seed")
        {
            Description = "Seed of the first case; case i uses seed+i and its files are named phantom_<seed>. "
                + "Keep test seeds outside the training range for a fair held-out set.",
            DefaultValueFactory = _ => 0,
        };
        var lesionFraction = new Option<double>("--lesion-fraction")
        {
            Description = "Fraction of cases (seeded per case) with liver lesions: label 10 liver_lesion, hypo- or hyper-dense "
                + "ellipsoids inside the liver, and \"lesion\": 0|1 on every dataset.json entry for classification. "
                + "Default 0: no lesions, and exactly the output of earlier versions.",
            DefaultValueFactory = _ => 0.0,
        };
        var lesionStyle = new Option<LesionStyle>("--lesion-style")
        {
            Description = "How lesions look: subtle (default; 1-3 lesions of 15-35 mm semi-axes, 40-90 HU off the liver) or conspicuous "
                + "(1-2 hypo-dense lesions of 35-50 mm, 110-160 HU below the liver: what the demo's small classifier can learn).",
            DefaultValueFactory = _ => LesionStyle.Subtle,
        };
        var dicom = new Option<DirectoryInfo?>("--dicom")
        {
            Description = "Also write each case's CT as a DICOM CT series into DIR/phantom_SEED/ (CT Image Storage, one file per "
                + "slice, deterministic UIDs per seed), so that studies with known truth can be sent to a DICOM node.",
        };
        lesionFraction.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1 or double.NaN)
            {
                r.AddError("--lesion-fraction must be between 0 and 1.");
            }
        });
        count.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1)
            {
                r.AddError("--count must be at least 1.");
            }
        });
        size.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 32 or > 512)
            {
                r.AddError("--size must be between 32 and 512 voxels.");
            }
        });

        var command = new Command(
            "phantom",
            "Generate procedurally varied abdominal CT phantoms (body wall, lungs, liver, spleen, kidneys, aorta, "
            + "spine, ribs) with realistic HU, scanner noise and blur, as NIfTI image + label map pairs and an "
            + "MSD/MONAI dataset.json. Deterministic by seed.")
        {
            output, count, size, seed, lesionFraction, lesionStyle, dicom,
        };
        command.SetAction(parse =>
        {
            var folder = parse.GetValue(output)!.FullName;
            var n = parse.GetValue(count);
            var dicomFolder = parse.GetValue(dicom)?.FullName;
            Console.Out.WriteLine($"Writing {n} phantom(s) of {parse.GetValue(size)}³ voxels to {folder}");
            var progress = new SynchronousProgress<PhantomCaseWritten>(c =>
            {
                var spacing = c.Case.Image.Geometry.Spacing;
                Console.Out.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"[{c.Index + 1}/{c.Count}] seed {c.Case.Seed}: spacing {spacing.X:F2} x {spacing.Y:F2} x {spacing.Z:F2} mm, "
                    + $"{c.Elapsed.TotalSeconds:F1} s -> {Path.GetFileName(c.ImagePath)}{(c.Case.HasLesion ? $" ({c.Case.Lesions} liver lesion(s))" : "")}"));
                if (dicomFolder is not null)
                {
                    var series = PhantomSeries.Write(c.Case, dicomFolder);
                    Console.Out.WriteLine($"    DICOM: {series.Files.Count} CT slices -> {series.Folder}");
                }
            });
            var datasetJson = PhantomDatasetWriter.Write(folder, n, parse.GetValue(size), parse.GetValue(seed), parse.GetValue(lesionFraction), parse.GetValue(lesionStyle), progress);
            Console.Out.WriteLine($"Done: {datasetJson}");
            return 0;
        });
        return command;
    }
}
