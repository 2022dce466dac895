using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.PostProcessing;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.PostProcessing;

public sealed class ArgmaxLabelsTests
{
    [Fact]
    public void Labels_equal_torch_argmax_over_the_classes_in_voxel_grid_order()
    {
        using var generator = new TorchSharp.torch.Generator(17);
        using var scores = randn([5, 7, 4, 3], generator: generator);
        var size = new GridSize(7, 4, 3);

        var labels = ArgmaxLabels.FromProbabilities(scores);

        using var expected = scores.argmax(0);
        Assert.Equal(size.VoxelCount, labels.Length);
        for (var i = 0; i < size.I; i++)
        {
            for (var j = 0; j < size.J; j++)
            {
                for (var k = 0; k < size.K; k++)
                {
                    Assert.Equal(expected[i, j, k].item<long>(), labels[size.Offset(i, j, k)]);
                }
            }
        }
    }

    [Fact]
    public void A_tie_goes_to_the_lower_class_and_a_NaN_score_never_wins()
    {
        // Three voxels along i: a tie between classes 1 and 2; class 2 highest; class 1 NaN beside a real maximum in 2.
        using var scores = tensor(new float[] { 0, 0, 0, 3, 1, float.NaN, 3, 5, 2 }, [3, 3, 1, 1]);

        Assert.Equal(new ushort[] { 1, 2, 2 }, ArgmaxLabels.FromProbabilities(scores));
    }

    [Fact]
    public void Logits_and_their_softmax_give_the_same_labels()
    {
        using var generator = new TorchSharp.torch.Generator(3);
        using var logits = randn([6, 9, 8, 7], generator: generator) * 4;
        using var probabilities = nn.functional.softmax(logits, 0);

        Assert.Equal(ArgmaxLabels.FromProbabilities(probabilities), ArgmaxLabels.FromProbabilities(logits));
    }
}
