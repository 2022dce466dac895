using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Tests.Training;
using MiM.Bundles.Model.Tests.Training.Finetuning;
using MiM.Bundles.Model.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Numerics;

/// <summary>
/// The guard against native objects left to the finalizer (a host runs for months, and memory held until a
/// finalizer runs is memory a long job does not have): during training steps with their checkpoints and validation
/// windows, and during the segmentation of a volume into a label map, every tensor the calling thread creates outside
/// a dispose scope is disposed explicitly. TorchSharp counts both per thread (DisposeScopeManager statistics). A run
/// also creates objects once (the network, the optimiser, the data loader), so training is measured as the
/// difference between a 4-step and a 2-step run: whatever a step leaks shows there twice.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class TensorLifetimeTests(PhantomDataFixture pretrainData, LabelledPhantomsFixture finetuneData)
    : IClassFixture<PhantomDataFixture>, IClassFixture<LabelledPhantomsFixture>
{
    [Fact]
    public void Pretraining_steps_leave_no_tensor_to_the_finalizer()
    {
        long Run(int steps) => InFreshFolder(TrainingRuns.NewRunFolder(), run =>
            TrainingRuns.Run(TrainingRuns.Recipe("unit", pretrainData.Folder, run, steps, checkpointEvery: 2)));

        Assert.Equal(Run(2), Run(4));
    }

    [Fact]
    public void Fine_tuning_steps_and_validation_windows_leave_no_tensor_to_the_finalizer()
    {
        long Run(int steps) => InFreshFolder(FinetuneRuns.NewRunFolder(), run =>
            FinetuneRuns.Run(FinetuneRuns.Recipe("unit", finetuneData.DatasetJson, run, steps, validateEvery: 2, checkpointEvery: 2)));

        Assert.Equal(Run(2), Run(4));
    }

    [Fact]
    public void Segmenting_a_volume_into_a_label_map_leaves_no_tensor_to_the_finalizer()
    {
        manual_seed(52);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        var description = new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = network.Options };
        var segmenter = new VolumeSegmenter(network, VolumeSegmenter.PipelineFor(description, "."), new SlidingWindowOptions(32, 0.5, 2), keepLargest: true);
        var geometry = new VolumeGeometry(new GridSize(40, 36, 34), new Vector3D(0, 0, 0), new Vector3D(1, 1, 1.5), Direction3D.Identity);
        var random = new Random(4);
        var volume = new Volume(geometry, Enumerable.Range(0, (int)geometry.Size.VoxelCount).Select(_ => (float)((random.NextDouble() * 600) - 300)).ToArray());

        var leaked = TensorsLeftToFinalizer(() => segmenter.Segment(volume));

        Assert.Equal(0, leaked);
    }

    private static long InFreshFolder(string folder, Action<string> run)
    {
        try
        {
            return TensorsLeftToFinalizer(() => run(folder));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static long TensorsLeftToFinalizer(Action work)
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var created = statistics.CreatedOutsideScopeCount;
        var disposed = statistics.DisposedOutsideScopeCount;
        work();
        return (statistics.CreatedOutsideScopeCount - created) - (statistics.DisposedOutsideScopeCount - disposed);
    }
}
