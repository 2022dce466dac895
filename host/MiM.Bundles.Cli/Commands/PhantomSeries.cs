using System.Globalization;
using MiM.Bundles.Dicom.SeriesWriting;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Cli.Commands;

/// <summary>A phantom case written as a DICOM CT series: where it went and who it says it is.</summary>
/// <param name="Folder">The series folder (<c>phantom_SEED</c>).</param>
/// <param name="Files">The slice files, in plane order.</param>
/// <param name="Identity">Patient, study, series and frame of reference UIDs.</param>
internal sealed record PhantomSeries(string Folder, IReadOnlyList<string> Files, CtSeriesIdentity Identity)
{
    // A fixed acquisition time keeps the files of a seed identical from run to run.
    private static readonly DateTimeOffset AcquiredAt = new(2026, 1, 5, 9, 30, 0, TimeSpan.Zero);

    /// <summary>The identity of a case: UIDs derived from its seed, size and lesions, a synthetic patient per seed.</summary>
    public static CtSeriesIdentity IdentityOf(PhantomCase phantom)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var size = phantom.Image.Size;
        var key = string.Create(CultureInfo.InvariantCulture, $"mim-phantom/seed {phantom.Seed}/size {size.I}x{size.J}x{size.K}/lesions {phantom.Lesions}");
        return CtSeriesIdentity.Derived(
            key,
            string.Create(CultureInfo.InvariantCulture, $"PHANTOM^{phantom.Seed:D4}"),
            string.Create(CultureInfo.InvariantCulture, $"MIM-PHANTOM-{phantom.Seed:D4}"),
            AcquiredAt) with
        {
            StudyDescription = "CT ABDOMEN (synthetic phantom)",
            SeriesDescription = phantom.HasLesion ? "Abdomen phantom, liver lesions" : "Abdomen phantom",
        };
    }

    /// <summary>Writes <paramref name="phantom"/>'s CT into <paramref name="root"/>/phantom_SEED/.</summary>
    public static PhantomSeries Write(PhantomCase phantom, string root)
    {
        ArgumentNullException.ThrowIfNull(phantom);
        var folder = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"phantom_{phantom.Seed:D4}"));
        var identity = IdentityOf(phantom);
        return new PhantomSeries(folder, CtSeriesWriter.Write(phantom.Image, folder, identity), identity);
    }
}
