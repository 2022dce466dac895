using MiM.Bundles.Cli.Commands.Demo;
using MiM.Bundles.Host.Tests.Cli.Bundles;

namespace MiM.Bundles.Host.Tests.Cli.Demo;

/// <summary>
/// The demo's SEG check on a SEG that `mim infer` wrote for a demo study (a one-step liver model: its Dice is meaningless,
/// the point is that a SEG from the real writer path lands on the study's grid and every organ gets a verdict).
/// </summary>
[Collection(TrainedOutputsGroup.Name)]
public sealed class InferredSegmentationCheckTests(TrainedOutputsFixture trained) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-demo-infer-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_SEG_from_mim_infer_on_a_demo_study_is_scored_on_the_studys_grid()
    {
        var study = DemoStudy.Write(901, lesion: true, _folder);
        var seg = Path.Combine(_folder, "liver.seg.dcm");

        var infer = MimProcess.Run(TrainedOutputsFixture.Timeout, "infer", "--weights", Path.Combine(trained.Unfrozen, "best"), "--input", study.Series.Folder, "--output", seg,
            "--segments", RepositoryFiles.Path("configs", "segments", "phantom-abdomen.json"));
        Assert.True(infer.ExitCode == 0, infer.StdOut + infer.StdErr);

        var scores = SegmentationCheck.Score(seg, study.Phantom);

        Assert.Equal(["liver", "spleen", "kidney_right", "kidney_left", "aorta"], scores.Select(s => s.Organ));
        Assert.True(scores[0].TruthVoxels > 1000, $"liver truth {scores[0].TruthVoxels} voxels");
        // The model segments the liver only: the other organs are absent from its SEG and fail.
        Assert.All(scores.Skip(1), s => Assert.False(s.Passed));
        Assert.All(scores.Skip(1), s => Assert.Equal(0, s.PredictedVoxels));
    }
}
