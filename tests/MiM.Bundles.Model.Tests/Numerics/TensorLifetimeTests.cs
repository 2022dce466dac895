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
/// The guard against native objects left to the finalizer (a host runs for months; a finalizer that frees a tensor
/// libtorch still uses corrupts the native heap): during training steps, sliding-window inference and the
/// segmentation of a volume into a label map, every tensor the calling thread creates outside a dispose scope is
/// disposed explicitly. TorchSharp counts both per thread (DisposeScopeManager statistics).
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class TensorLifetimeTests(PhantomDataFixture pretrainData, LabelledPhantomsFixture finetuneData)
    : IClassFixture<PhantomDataFixture>, IClassFixture<LabelledPhantomsFixture>
{
    [Fact]
    public void Pretraining_steps_leave_no_tensor_to_the_finalizer()
    {
        var run = TrainingRuns.NewRunFolder();
        try
        {
            var leaked = TensorsLeftToFinalizer(() => TrainingRuns.Run(TrainingRuns.Recipe("unit", pretrainData.Folder, run, steps: 2, checkpointEvery: 2)));
            Assert.Equal(0, leaked);
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void Fine_tuning_steps_and_validation_windows_leave_no_tensor_to_the_finalizer()
    {
        var run = FinetuneRuns.NewRunFolder();
        try
        {
            var leaked = TensorsLeftToFinalizer(() => FinetuneRuns.Run(FinetuneRuns.Recipe("unit", finetuneData.DatasetJson, run, steps: 2, validateEvery: 2, checkpointEvery: 2)));
            Assert.Equal(0, leaked);
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
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

    private static long TensorsLeftToFinalizer(Action work)
    {
        var statistics = DisposeScopeManager.Statistics.TensorStatistics;
        var created = statistics.CreatedOutsideScopeCount;
        var disposed = statistics.DisposedOutsideScopeCount;
        work();
        return (statistics.CreatedOutsideScopeCount - created) - (statistics.DisposedOutsideScopeCount - disposed);
    }
}
