using System.Globalization;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Tests.Training.Finetuning;
using MiM.Bundles.Model.Training.Classification;
using MiM.Bundles.Model.Training.Finetuning;
using MiM.Bundles.Model.Weights;
using Xunit.Abstractions;

namespace MiM.Bundles.Model.Tests.Training.Classification;

[Collection(SerialTorchTests.Name)]
public sealed class ClassificationFineTunerTests(ClassifiedPhantomsFixture data, ITestOutputHelper output) : IClassFixture<ClassifiedPhantomsFixture>, IDisposable
{
    private readonly List<string> _runs = [];

    public void Dispose()
    {
        foreach (var run in _runs.Where(Directory.Exists))
        {
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void A_short_run_writes_metrics_validation_rows_curves_and_best_and_final_folders_that_classify_a_volume()
    {
        var run = NewRun();
        var result = ClassificationRuns.Run(ClassificationRuns.Recipe(data.DatasetJson, run, steps: 4, validateEvery: 2, checkpointEvery: 2));

        Assert.Equal(4, result.StepsCompleted);
        Assert.False(result.Cancelled);
        Assert.Equal(4, Rows(run, FineTuner.MetricsFile).Count);
        var validations = Rows(run, ClassificationFineTuner.ValidationFile);
        output.WriteLine(File.ReadAllText(Path.Combine(run, ClassificationFineTuner.ValidationFile)));
        Assert.Equal([2.0, 4.0], validations.Select(r => r[0]));
        Assert.All(validations, r =>
        {
            Assert.InRange(r[1], 0, 1);
            Assert.InRange(r[2], 0, 1);
            Assert.True(r[3] > 0);
        });
        Assert.True(new FileInfo(Path.Combine(run, "loss.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(run, "validation.png")).Length > 1000);

        Assert.NotNull(result.BestModel);
        Assert.Contains((double)result.BestStep, validations.Select(r => r[0]));
        var (network, description) = ClassificationModelFolder.Load(result.LastModel!);
        using (network)
        {
            Assert.Equal(["no_lesion", "lesion"], description.ClassNames);
            Assert.Equal(("52988006", "SCT"), (description.ClassCode(1).CodeValue, description.ClassCode(1).CodingSchemeDesignator));
            Assert.Equal("0.1.0+step.4", description.Version);
            var volume = NiftiReader.ReadVolume(Path.Combine(data.Folder, "imagesTr", "phantom_0509.nii.gz"));
            var classification = new VolumeClassifier(network, description).Classify(volume);
            Assert.Equal("classify-unit", classification.ModelName);
            Assert.Equal(2, classification.Probabilities.Count);
            Assert.Equal(1.0, classification.Probabilities.Sum(p => p.Probability), 6);
        }

        Assert.True(ClassificationModelFolder.IsClassificationFolder(result.BestModel!));
        Assert.False(File.Exists(Path.Combine(result.BestModel!, SegmentationModelFolder.DescriptionFile)));
    }

    [Fact]
    public void A_resumed_run_ends_with_exactly_the_weights_and_metrics_of_an_uninterrupted_run()
    {
        var straight = NewRun();
        ClassificationRuns.Run(ClassificationRuns.Recipe(data.DatasetJson, straight, steps: 4, validateEvery: 2, checkpointEvery: 2));

        var interrupted = NewRun();
        var full = ClassificationRuns.Recipe(data.DatasetJson, interrupted, steps: 4, validateEvery: 2, checkpointEvery: 2);
        using (var stop = new CancellationTokenSource())
        {
            var first = ClassificationRuns.Run(full, progress: new StopAt(2, stop), cancellation: stop.Token);
            Assert.True(first.Cancelled);
            Assert.Equal(2, first.StepsCompleted);
            Assert.Null(first.LastModel);
        }

        var resumed = ClassificationRuns.Run(full, resume: true);

        Assert.Equal(4, resumed.StepsCompleted);
        var a = MimWeights.ReadStateDict(Path.Combine(straight, FineTuner.FinalModelFolder, ClassificationModelFolder.WeightsFile));
        var b = MimWeights.ReadStateDict(Path.Combine(interrupted, FineTuner.FinalModelFolder, ClassificationModelFolder.WeightsFile));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
        {
            Assert.True(tensor.allclose(b[name], rtol: 0, atol: 1e-6), $"{name} differs after resume");
        }

        Assert.Equal(Rows(straight, FineTuner.MetricsFile).Select(r => r[2]), Rows(interrupted, FineTuner.MetricsFile).Select(r => r[2]));
        Assert.Equal(
            Rows(straight, ClassificationFineTuner.ValidationFile).Select(r => r[1..]),
            Rows(interrupted, ClassificationFineTuner.ValidationFile).Select(r => r[1..]));
    }

    [Fact]
    public void Training_batches_are_whole_volumes_at_the_roi_with_the_dataset_flags_as_classes()
    {
        var config = ClassificationRuns.Recipe(data.DatasetJson, NewRun(), steps: 1, validateEvery: 1, checkpointEvery: 1);
        using var dataset = ClassificationDataset.Open(config);
        Assert.Equal(6, dataset.TrainingCaseCount);
        Assert.Equal(data.Flags.Skip(6), dataset.ValidationCases.Select(c => c.Class));
        Assert.Equal([1L, 1, 32, 32, 32], dataset.ValidationCases[0].Image.shape);
        using var batch = dataset.TrainingBatch(3);
        using var again = dataset.TrainingBatch(3);
        Assert.Equal([4L, 1, 32, 32, 32], batch.Images.shape);
        Assert.True(batch.Images.allclose(again.Images, rtol: 0, atol: 0), "a step's batch is not a pure function of the step");
        Assert.All(batch.Classes.data<long>().ToArray(), c => Assert.Contains((int)c, data.Flags));
    }

    [Fact]
    public void A_recipe_whose_pipeline_does_not_reach_the_roi_is_refused_with_a_hint()
    {
        var config = ClassificationRuns.Recipe(data.DatasetJson, NewRun(), steps: 1, validateEvery: 1, checkpointEvery: 1);
        var unresampled = config with
        {
            Data = config.Data with
            {
                ValidationTransforms = System.Text.Json.JsonDocument.Parse(
                    """{"transforms": [{"name": "SpatialPad", "keys": ["image"], "spatial_size": [40, 40, 40]}]}""").RootElement.Clone(),
            },
        };
        var error = Assert.Throws<InvalidDataException>(() => ClassificationDataset.Open(unresampled));
        Assert.Contains("Spacing", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_auc_and_accuracy_equal_those_of_the_best_model_classifying_the_held_out_files_through_mim_infers_path()
    {
        var run = NewRun();
        var result = ClassificationRuns.Run(ClassificationRuns.Recipe(data.DatasetJson, run, steps: 3, validateEvery: 3, checkpointEvery: 3));
        var row = Rows(run, ClassificationFineTuner.ValidationFile).Single();

        var (network, description) = ClassificationModelFolder.Load(result.BestModel!);
        using (network)
        {
            var classifier = new VolumeClassifier(network, description);
            var heldOut = Enumerable.Range(506, 4)
                .Select(seed => classifier.Probabilities(NiftiReader.ReadVolume(Path.Combine(data.Folder, "imagesTr", $"phantom_{seed:D4}.nii.gz"))))
                .ToList();
            var truth = data.Flags.Skip(6).ToList();
            output.WriteLine(string.Join(" ", heldOut.Select((p, n) => $"{truth[n]}:{p[1]:F4}")));
            var auc = Model.Evaluation.BinaryClassificationMetrics.Auc([.. heldOut.Select(p => p[1])], [.. truth.Select(t => t == 1)]);
            var accuracy = Model.Evaluation.BinaryClassificationMetrics.Accuracy([.. heldOut.Select(p => p[1] > p[0] ? 1 : 0)], truth);
            Assert.Equal(row[1], auc, 5);
            Assert.Equal(row[2], accuracy, 5);
            Assert.Equal(result.BestAuc, row[1], 5);
        }
    }

    [Theory]
    [InlineData(0.8, 0.5, 0.7, 0.9, true)]
    [InlineData(0.7, 0.9, 0.7, 0.8, true)]
    [InlineData(0.7, 0.8, 0.7, 0.8, false)]
    [InlineData(0.6, 1.0, 0.7, 0.5, false)]
    [InlineData(double.NaN, 1.0, 0.2, 0.5, false)]
    [InlineData(0.2, 0.5, double.NaN, 1.0, true)]
    [InlineData(0.5, 0.5, double.NaN, double.NaN, true)]
    public void The_best_model_is_chosen_by_auc_then_accuracy_and_an_undefined_auc_ranks_last(
        double auc, double accuracy, double bestAuc, double bestAccuracy, bool beats)
    {
        Assert.Equal(beats, ClassificationFineTuner.Beats(auc, accuracy, bestAuc, bestAccuracy));
    }

    [Fact]
    public void A_classification_recipe_needs_a_case_label_and_the_segmentation_fine_tuner_is_not_given_it()
    {
        var config = ClassificationRuns.Recipe(data.DatasetJson, NewRun(), steps: 1, validateEvery: 1, checkpointEvery: 1);
        var error = Assert.Throws<ArgumentException>(() => (config with { Data = config.Data with { CaseLabel = null } }).Validate());
        Assert.Contains("data.caseLabel", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(
            () => new ClassificationFineTuner(config with { Task = FinetuneTask.Segmentation }, new EmptyData(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance).Run(false));
    }

    private string NewRun()
    {
        var run = FinetuneRuns.NewRunFolder();
        _runs.Add(run);
        return run;
    }

    private static List<double[]> Rows(string run, string file) =>
        [.. File.ReadAllLines(Path.Combine(run, file)).Skip(1).Select(l => l.Split(',').Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray())];

    /// <summary>Requests a stop once <paramref name="step"/> is reported (reports arrive on the training thread, after the step).</summary>
    private sealed class StopAt(long step, CancellationTokenSource stop) : IProgress<ClassificationProgress>
    {
        public void Report(ClassificationProgress value)
        {
            if (value.Step == step)
            {
                stop.Cancel();
            }
        }
    }

    private sealed class EmptyData : IClassificationData
    {
        public int TrainingCaseCount => 0;

        public IReadOnlyList<ClassificationCase> ValidationCases => [];

        public ClassificationBatch TrainingBatch(long stepIndex) => throw new InvalidOperationException("no data");
    }
}
