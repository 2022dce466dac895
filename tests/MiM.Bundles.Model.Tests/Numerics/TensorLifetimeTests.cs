using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Tests.Training;
using MiM.Bundles.Model.Tests.Training.Classification;
using MiM.Bundles.Model.Tests.Training.Finetuning;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Numerics;

/// <summary>
/// The guard against tensors left to the finalizer. Such a tensor can be freed by a garbage collection while libtorch
/// still reads it (a temporary handed straight to the next call, <c>a.permute(…).contiguous()</c>), which changed initial
/// weights and crashed the process under forced collections; and memory held until a finalizer runs is memory a host
/// that runs for months does not have. Each test runs a whole job inside a dispose scope of its own: every tensor the
/// job makes outside its own scopes lands there, so whatever is still undisposed when the job has returned was left
/// to the finalizer. TorchSharp's per-thread statistics cannot tell this apart from tensors a job keeps on purpose.
/// </summary>
[Collection(SerialTorchTests.Name)]
public sealed class TensorLifetimeTests(PhantomDataFixture pretrainData, LabelledPhantomsFixture finetuneData, ClassifiedPhantomsFixture classifiedData)
    : IClassFixture<PhantomDataFixture>, IClassFixture<LabelledPhantomsFixture>, IClassFixture<ClassifiedPhantomsFixture>
{
    [Fact]
    public void A_pretraining_run_leaves_no_tensor_to_the_finalizer()
    {
        var left = InFreshFolder(TrainingRuns.NewRunFolder(), run =>
            TrainingRuns.Run(TrainingRuns.Recipe("unit", pretrainData.Folder, run, steps: 4, checkpointEvery: 2)));

        Assert.Empty(left);
    }

    [Fact]
    public void A_fine_tuning_run_with_validation_and_checkpoints_leaves_no_tensor_to_the_finalizer()
    {
        var left = InFreshFolder(FinetuneRuns.NewRunFolder(), run =>
            FinetuneRuns.Run(FinetuneRuns.Recipe("unit", finetuneData.DatasetJson, run, steps: 4, validateEvery: 2, checkpointEvery: 2)));

        Assert.Empty(left);
    }

    [Fact]
    public void A_classification_run_with_validation_and_checkpoints_leaves_no_tensor_to_the_finalizer()
    {
        var left = InFreshFolder(FinetuneRuns.NewRunFolder(), run =>
            ClassificationRuns.Run(ClassificationRuns.Recipe(classifiedData.DatasetJson, run, steps: 4, validateEvery: 2, checkpointEvery: 2)));

        Assert.Empty(left);
    }

    [Fact]
    public void Building_each_network_leaves_no_tensor_to_the_finalizer()
    {
        var options = new DownstreamOptions { Classes = 3, DropPathRate = 0.1 };
        var left = TensorsLeftToFinalizer(() =>
        {
            new MimPretrainNetwork(MimNetworkConfig.Unit).Dispose();
            new MimDownstreamEncoder(MimNetworkConfig.Unit, options).Dispose();
            new MimSegmentationNetwork(MimNetworkConfig.Unit, options).Dispose();
            new MimClassificationNetwork(MimNetworkConfig.Unit, options).Dispose();
        });

        Assert.Empty(left);
    }

    [Fact]
    public void Loading_a_model_folder_leaves_no_tensor_to_the_finalizer()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mim-lifetime-" + Guid.NewGuid().ToString("N"));
        using (var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 2 }))
        {
            SegmentationModelFolder.Save(folder, network, new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = network.Options });
        }

        var left = InFreshFolder(folder, _ =>
        {
            var (loaded, _) = SegmentationModelFolder.Load(folder);
            loaded.Dispose();
        });

        Assert.Empty(left);
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

        var left = TensorsLeftToFinalizer(() => segmenter.Segment(volume));

        Assert.Empty(left);
    }

    private static List<string> InFreshFolder(string folder, Action<string> run)
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

    /// <summary>Shape, type and autograd state of each tensor <paramref name="work"/> left undisposed, to tell where it came from.</summary>
    private static List<string> TensorsLeftToFinalizer(Action work)
    {
        using var scope = NewDisposeScope();
        work();
        return scope.DisposablesView.OfType<Tensor>()
            .Where(t => !t.IsInvalid)
            .Select(t => $"{t.dtype} [{string.Join(",", t.shape)}] requires_grad={t.requires_grad} leaf={t.is_leaf}")
            .ToList();
    }
}
