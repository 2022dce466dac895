using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Datasets;

/// <summary>Progress of <see cref="PhantomDatasetWriter.Write"/>: one report per case written.</summary>
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
    /// <summary>Writes <paramref name="count"/> cases of <paramref name="size"/>³ voxels into <paramref name="folder"/>.</summary>
    /// <returns>The path of the dataset.json written.</returns>
    public static string Write(string folder, int count, int size, int firstSeed, IProgress<PhantomCaseWritten>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var images = Directory.CreateDirectory(Path.Combine(folder, "imagesTr")).FullName;
        var labels = Directory.CreateDirectory(Path.Combine(folder, "labelsTr")).FullName;
        var cases = new List<MsdCase>(count);
        for (var index = 0; index < count; index++)
        {
            var clock = Stopwatch.StartNew();
            var seed = firstSeed + index;
            var phantom = PhantomGenerator.Generate(seed, size);
            var fileName = string.Create(CultureInfo.InvariantCulture, $"phantom_{seed:D4}.nii.gz");
            var imagePath = Path.Combine(images, fileName);
            NiftiWriter.Write(imagePath, phantom.Image, NiftiDataType.Int16);
            NiftiWriter.Write(Path.Combine(labels, fileName), phantom.Labels);
            cases.Add(new MsdCase($"./imagesTr/{fileName}", $"./labelsTr/{fileName}"));
            progress?.Report(new PhantomCaseWritten(index, count, phantom, imagePath, clock.Elapsed));
        }

        return MsdDatasetJsonWriter.Write(folder, new MsdDatasetDescription(
            Name: "MiM synthetic abdominal CT phantoms",
            Description: string.Create(
                CultureInfo.InvariantCulture,
                $"Procedural abdominal CT with ground-truth organs, made by `mim phantom --count {count} --size {size} --seed {firstSeed}`."),
            Modality: "CT",
            Segments: PhantomLabels.All,
            Training: cases));
    }
}
