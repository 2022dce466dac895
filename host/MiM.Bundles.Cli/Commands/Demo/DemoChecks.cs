using System.Globalization;
using MiM.Bundles.Dicom;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// The demo's verdict on what came back: for each study, the SEG's Dice per organ against the phantom's truth (each with
/// its threshold) and the SR's most likely finding against the phantom's lesion flag. Prints a table; true only when
/// every check passed.
/// </summary>
internal static class DemoChecks
{
    public static bool Run(IReadOnlyList<DemoStudy> studies, Func<DemoStudy, string> segmentationOf, Func<DemoStudy, string> reportOf, TextWriter console)
    {
        ArgumentNullException.ThrowIfNull(studies);
        var passed = true;
        console.WriteLine();
        console.WriteLine("Dice of the SEG against the phantom's truth (pass: Dice >= threshold):");
        console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {"study",-14} {"organ",-14} {"Dice",6} {"threshold",9} {"SEG voxels",10} {"truth voxels",12}  verdict"));
        foreach (var study in studies)
        {
            IReadOnlyList<OrganDice> scores;
            try
            {
                scores = SegmentationCheck.Score(segmentationOf(study), study.Phantom);
            }
            catch (Exception e) when (e is DicomException or IOException or InvalidDataException)
            {
                console.WriteLine($"  {Name(study),-14} the SEG could not be read onto the study's grid: {e.Message}  FAIL");
                passed = false;
                continue;
            }

            foreach (var organ in scores)
            {
                passed &= organ.Passed;
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Name(study),-14} {organ.Organ,-14} {(double.IsNaN(organ.Dice) ? "absent" : organ.Dice.ToString("F3", CultureInfo.InvariantCulture)),6} {organ.Threshold,9:F2} {organ.PredictedVoxels,10} {organ.TruthVoxels,12}  {(organ.Passed ? "ok" : "FAIL")}"));
            }
        }

        console.WriteLine();
        console.WriteLine("SR finding against the phantom's lesion flag:");
        foreach (var study in studies)
        {
            try
            {
                var verdict = ReportCheck.Check(reportOf(study), study.Phantom.HasLesion);
                passed &= verdict.Passed;
                console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {Name(study),-14} SR says \"{verdict.Finding}\" (SCT {verdict.FindingCode}, p = {verdict.Probability:F3}); truth: {(verdict.HasLesion ? "lesion" : "no lesion")}  {(verdict.Passed ? "ok" : "FAIL: the classification check failed")}"));
            }
            catch (Exception e) when (e is DicomException or IOException or InvalidDataException)
            {
                console.WriteLine($"  {Name(study),-14} the SR could not be read: {e.Message}  FAIL");
                passed = false;
            }
        }

        return passed;
    }

    private static string Name(DemoStudy study) => Path.GetFileName(study.Series.Folder);
}
