using MiM.Bundles.Model.Training.Finetuning;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Finetuning;

public sealed class FinetuneDatasetTests(LabelledPhantomsFixture data) : IClassFixture<LabelledPhantomsFixture>
{
    [Fact]
    public void Training_crops_are_ROI_sized_hold_only_the_chosen_classes_and_depend_only_on_the_step()
    {
        var config = FinetuneRuns.Recipe("unit", data.DatasetJson, FinetuneRuns.NewRunFolder(), steps: 10, validateEvery: 10, checkpointEvery: 10);
        using var dataset = FinetuneDataset.Open(config);
        Assert.Equal(4, dataset.TrainingCaseCount);
        Assert.Single(dataset.ValidationCases);
        Assert.Equal("phantom_0305.nii.gz", dataset.ValidationCases[0].Name);

        using var scope = NewDisposeScope();
        using var first = dataset.TrainingBatch(7);
        using var again = dataset.TrainingBatch(7);
        using var other = dataset.TrainingBatch(8);
        Assert.Equal(new long[] { 2, 1, 32, 32, 32 }, first.Images.shape);
        Assert.Equal(first.Images.shape, first.Labels.shape);
        Assert.Equal(ScalarType.Int64, first.Labels.dtype);
        Assert.True(first.Images.equal(again.Images).all().item<bool>() && first.Labels.equal(again.Labels).all().item<bool>());
        Assert.False(first.Images.shape.SequenceEqual(other.Images.shape) && first.Images.equal(other.Images).all().item<bool>());

        // Liver only: label 1 is the liver, every other organ became background.
        Assert.True(first.Labels.max().item<long>() <= 1);
        Assert.True(dataset.ValidationCases[0].Labels.max().item<long>() == 1);
        Assert.True(first.Images.min().item<float>() >= -0.2f && first.Images.max().item<float>() <= 1.2f, "intensities are windowed to [0, 1] (± the shift)");
    }

    [Fact]
    public void Asking_for_more_training_cases_than_remain_after_the_held_out_ones_is_refused()
    {
        var config = FinetuneRuns.Recipe("unit", data.DatasetJson, FinetuneRuns.NewRunFolder(), steps: 10, validateEvery: 10, checkpointEvery: 10);
        config = config with { Data = config.Data with { TrainingCases = 6 } };
        var error = Assert.Throws<InvalidDataException>(() => FinetuneDataset.Open(config));
        Assert.Contains("only 5 labelled case(s) outside validation", error.Message, StringComparison.Ordinal);
    }
}
