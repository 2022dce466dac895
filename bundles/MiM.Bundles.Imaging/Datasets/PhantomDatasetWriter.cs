using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Datasets;

/// <summary>Progress of <see cref="PhantomDatasetWriter"/>.Write: one report per case written.</summary>
/// <param name="Index">0-based position of the case in this run.</param>
/// <param name="Count">Cases in this run.</param>
/// <param name="Case">The generated case.</param>
/// <param name="ImagePath">Where its image went.</param>
/// <param name="Elapsed">Time to generate and write it.</param>
public sealed record PhantomCaseWritten(int Index, int Count, PhantomCase Case, string ImagePath, TimeSpan Elapsed);

/// <summary>
/// Generates synthetic CT phantoms and writes them as an MSD-layout data set:
/// <c>imagesTr/phantom_SEED.nii.gz</c>, <c>labelsTr/phantom_SEED.nii.gz</c> and <c>dataset.json</c>.
/// Case i has seed <c>firstSeed + i</c> and its file name carries that seed, so held-out seeds are visible.
/// </summary>
public static class PhantomDatasetWriter
{
    /// <summary>The per-case label key of the lesion flag in dataset.json entries.</summary>
    public const string LesionKey = "lesion";

    /// <summary>What <see cref="LesionKey"/> means, written into dataset.json's <c>caseLabels</c>.</summary>
    public const string LesionMeaning =
        "1 when the case has one or more liver lesions (label 10 liver_lesion: hypo- or hyper-dense ellipsoids inside the liver), 0 when it has none";

    /// <summary>Writes <paramref name="count"/> cases of <paramref name="size"/>³ voxels into <paramref name="folder"/>, without lesions.</summary>
    /// <returns>The path of the dataset.json written.</returns>
    public static string Write(string folder, int count, int size, int firstSeed, IProgress<PhantomCaseWritten>? progress = null) =>
        Write(folder, count, size, firstSeed, 0.0, progress);

    /// <summary>
    /// Writes <paramref name="count"/> cases of <paramref name="size"/>³ voxels into <paramref name="folder"/>, a seeded
    /// <paramref name="lesionFraction"/> of them with liver lesions. With a fraction above 0 every entry carries
    /// <c>"lesion": 0|1</c>, the top level a <c>caseLabels</c> object describing it, and the labels include 10 liver_lesion;
    /// with 0 the output is exactly that of <see cref="Write(string, int, int, int, IProgress{PhantomCaseWritten})"/>.
    /// </summary>
    /// <returns>The path of the dataset.json written.</returns>
    public static string Write(string folder, int count, int size, int firstSeed, double lesionFraction, IProgress<PhantomCaseWritten>? progress = null) =>
        Write(folder, count, size, firstSeed, lesionFraction, LesionStyle.Subtle, progress);

    /// <summary>As <see cref="Write(string, int, int, int, double, IProgress{PhantomCaseWritten})"/>, lesions drawn in <paramref name="style"/>.</summary>
    /// <returns>The path of the dataset.json written.</returns>
    public static string Write(string folder, int count, int size, int firstSeed, double lesionFraction, LesionStyle style, IProgress<PhantomCaseWritten>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var withLesions = lesionFraction > 0;
        var images = Directory.CreateDirectory(Path.Combine(folder, "imagesTr")).FullName;
        var labels = Directory.CreateDirectory(Path.Combine(folder, "labelsTr")).FullName;
        var cases = new List<MsdCase>(count);
        for (var index = 0; index < count; index++)
        {
            var clock = Stopwatch.StartNew();
            var seed = firstSeed + index;
            var phantom = PhantomGenerator.Generate(seed, size, lesionFraction, style);
            var fileName = string.Create(CultureInfo.InvariantCulture, $"phantom_{seed:D4}.nii.gz");
            var imagePath = Path.Combine(images, fileName);
            NiftiWriter.Write(imagePath, phantom.Image, NiftiDataType.Int16);
            NiftiWriter.Write(Path.Combine(labels, fileName), phantom.Labels);
            cases.Add(new MsdCase($"./imagesTr/{fileName}", $"./labelsTr/{fileName}")
            {
                CaseLabels = withLesions ? [new(LesionKey, phantom.HasLesion ? 1 : 0)] : [],
            });
            progress?.Report(new PhantomCaseWritten(index, count, phantom, imagePath, clock.Elapsed));
        }

        var command = string.Create(CultureInfo.InvariantCulture, $"`mim phantom --count {count} --size {size} --seed {firstSeed}");
        return MsdDatasetJsonWriter.Write(folder, new MsdDatasetDescription(
            Name: "MiM synthetic abdominal CT phantoms",
            Description: withLesions
                ? string.Create(
                    CultureInfo.InvariantCulture,
                    $"Procedural abdominal CT with ground-truth organs and liver lesions in a seeded {lesionFraction:0.###} of cases, made by {command} --lesion-fraction {lesionFraction:0.###}{(style == LesionStyle.Subtle ? "" : " --lesion-style " + style.ToString().ToLowerInvariant())}`.")
                : $"Procedural abdominal CT with ground-truth organs, made by {command}`.",
            Modality: "CT",
            Segments: withLesions ? PhantomLabels.WithLesions : PhantomLabels.All,
            Training: cases)
        {
            CaseLabels = withLesions ? [new(LesionKey, LesionMeaning)] : [],
        });
    }
}
