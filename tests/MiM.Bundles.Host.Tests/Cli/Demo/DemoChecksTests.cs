using MiM.Bundles.Cli.Commands.Demo;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.StructuredReport;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Host.Tests.Cli.Demo;

/// <summary>
/// The demo's checks on what a host sends back, without a host: SEGs written from the phantom's truth (and from a damaged
/// copy of it) and SRs with either finding, for the demo's own studies written as DICOM.
/// </summary>
public sealed class DemoChecksTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-demo-checks-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void The_demo_studies_are_one_with_lesions_and_one_without_each_its_own_study()
    {
        var studies = DemoStudy.Cases.Select(c => DemoStudy.Write(c.Seed, c.Lesion, _folder)).ToList();

        Assert.Equal([true, false], studies.Select(s => s.Phantom.HasLesion));
        Assert.Equal(2, studies.Select(s => s.Series.Identity.StudyInstanceUid).Distinct().Count());
        foreach (var study in studies)
        {
            var loaded = CtSeriesLoader.LoadFolder(study.Series.Folder);
            Assert.Equal(new GridSize(DemoStudy.Size, DemoStudy.Size, DemoStudy.Size), loaded.Volume.Size);
            Assert.True(loaded.Volume.Geometry.IsSameGrid(study.Phantom.Labels.Geometry, 1e-4));
            Assert.True(File.Exists(study.TruthPath));
        }
    }

    [Fact]
    public void A_SEG_of_the_truth_scores_Dice_1_for_every_organ_and_passes()
    {
        var study = DemoStudy.Write(901, lesion: true, _folder);
        var seg = WriteSeg(study, (n, label) => label == PhantomLabels.LiverLesion ? PhantomLabels.Liver : label);

        var scores = SegmentationCheck.Score(seg, study.Phantom);

        Assert.Equal(SegmentationCheck.Organs.Count, scores.Count);
        Assert.All(scores, s => Assert.Equal(1.0, s.Dice, 9));
        Assert.All(scores, s => Assert.True(s.Passed));
        Assert.True(scores.Single(s => s.Organ == "liver").TruthVoxels > scores.Single(s => s.Organ == "spleen").TruthVoxels);
    }

    [Fact]
    public void A_SEG_without_the_spleen_and_with_half_a_liver_fails_those_organs_only()
    {
        var study = DemoStudy.Write(902, lesion: false, _folder);
        var liver = study.Phantom.Labels.Voxels.Select((v, n) => (v, n)).Where(p => p.v == PhantomLabels.Liver).Select(p => p.n).ToList();
        var dropped = liver.Take(liver.Count * 2 / 3).ToHashSet();
        var seg = WriteSeg(study, (n, label) => label == PhantomLabels.Spleen || dropped.Contains(n) ? (ushort)0 : label);

        var scores = SegmentationCheck.Score(seg, study.Phantom).ToDictionary(s => s.Organ);

        Assert.False(scores["spleen"].Passed);
        Assert.False(scores["liver"].Passed);
        Assert.InRange(scores["liver"].Dice, 0.45, 0.55);
        Assert.True(scores["kidney_left"].Passed && scores["kidney_right"].Passed && scores["aorta"].Passed);
        Assert.False(DemoChecks.Run([study], _ => seg, _ => WriteSr(study, lesionProbability: 0.1), TextWriter.Null));
    }

    [Theory]
    [InlineData(true, 0.8, true)]
    [InlineData(true, 0.3, false)]
    [InlineData(false, 0.3, true)]
    [InlineData(false, 0.9, false)]
    public void The_SR_check_passes_only_when_the_most_likely_finding_matches_the_lesion_flag(bool hasLesion, double lesionProbability, bool passes)
    {
        var study = DemoStudy.Write(hasLesion ? 901 : 902, hasLesion, _folder);

        var verdict = ReportCheck.Check(WriteSr(study, lesionProbability), hasLesion);

        Assert.Equal(passes, verdict.Passed);
        Assert.Equal(lesionProbability > 0.5, verdict.SaysLesion);
        Assert.Equal(Math.Max(lesionProbability, 1 - lesionProbability), verdict.Probability, 6);
    }

    private string WriteSeg(DemoStudy study, Func<int, ushort, ushort> label)
    {
        var truth = study.Phantom.Labels;
        var voxels = truth.Voxels.Select((v, n) => label(n, v)).Select(v => v > PhantomLabels.Aorta ? (ushort)0 : v).ToArray();
        var source = SourceSeries.FromScan(CtSeriesLoader.ScanFolder(study.Series.Folder));
        var segments = PhantomLabels.All.Where(s => s.Value <= PhantomLabels.Aorta).ToList();
        var file = SegmentationWriter.Create(new LabelMap(truth.Geometry, voxels), source, segments, new SegmentationOptions { AlgorithmName = "test", AlgorithmVersion = "1.0.0" });
        var path = Path.Combine(_folder, $"seg-{Guid.NewGuid():N}.dcm");
        file.Save(path);
        return path;
    }

    private string WriteSr(DemoStudy study, double lesionProbability)
    {
        var result = new ClassificationResult("demo-lesion", "1.0.0",
        [
            new ClassProbability(CodedConcept.Snomed("17621005", "Normal"), 1 - lesionProbability),
            new ClassProbability(CodedConcept.Snomed(ReportCheck.LesionCode, "Lesion"), lesionProbability),
        ]);
        var path = Path.Combine(_folder, $"sr-{Guid.NewGuid():N}.dcm");
        ClassificationReportWriter.Create(result, SourceSeries.FromScan(CtSeriesLoader.ScanFolder(study.Series.Folder))).Save(path);
        return path;
    }
}
