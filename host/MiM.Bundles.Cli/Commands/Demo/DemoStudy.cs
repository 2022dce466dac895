using System.Globalization;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// A phantom CT the demo sends as a router would: one DICOM CT series (its own study and patient) with known truth — the
/// organ labels and whether it has liver lesions. Its size and spacing are those the demo's heads were trained on.
/// </summary>
/// <param name="Phantom">The generated case (image, labels, lesion count).</param>
/// <param name="Series">The written series.</param>
/// <param name="TruthPath">The truth label map as NIfTI, for viewers.</param>
internal sealed record DemoStudy(PhantomCase Phantom, PhantomSeries Series, string TruthPath)
{
    /// <summary>Voxels per axis: the organ head was trained on 48³ phantoms at their native spacing.</summary>
    public const int Size = 48;

    /// <summary>
    /// Seeds outside every training range of <see cref="DemoRecipe"/> (0–9, 300–309, 600–695): one with conspicuous liver
    /// lesions and one without, so that a classifier that always answers the same cannot pass.
    /// </summary>
    public static IReadOnlyList<(int Seed, bool Lesion)> Cases { get; } = [(901, true), (902, false)];

    /// <summary>Generates case <paramref name="seed"/> and writes its series and truth under <paramref name="folder"/>.</summary>
    public static DemoStudy Write(int seed, bool lesion, string folder)
    {
        var phantom = PhantomGenerator.Generate(seed, Size, lesion ? 1.0 : 0.0, LesionStyle.Conspicuous);
        var series = PhantomSeries.Write(phantom, folder);
        var truth = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"phantom_{seed:D4}.truth.nii.gz"));
        NiftiWriter.Write(truth, phantom.Labels);
        return new DemoStudy(phantom, series, truth);
    }
}
