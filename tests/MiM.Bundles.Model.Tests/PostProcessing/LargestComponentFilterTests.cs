using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.PostProcessing;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.PostProcessing;

public sealed class LargestComponentFilterTests
{
    private static readonly GridSize Size = new(10, 9, 8);

    [Fact]
    public void Each_label_keeps_its_largest_26_connected_component()
    {
        var labels = new ushort[Size.VoxelCount];
        void Set(int i, int j, int k, ushort value) => labels[Size.Offset(i, j, k)] = value;
        for (var i = 1; i <= 3; i++)
        {
            for (var j = 1; j <= 3; j++)
            {
                for (var k = 1; k <= 3; k++)
                {
                    Set(i, j, k, 1);
                }
            }
        }

        Set(4, 4, 4, 1);   // touches the cube only at a corner: 26-connected, kept
        Set(8, 1, 1, 1);   // apart: removed
        Set(7, 7, 6, 2);   // label 2: a pair and a single voxel
        Set(8, 7, 6, 2);
        Set(1, 7, 1, 2);
        Set(6, 1, 6, 3);   // the only component of label 3: kept

        var removed = LargestComponentFilter.KeepLargest(labels, Size);

        Assert.Equal(2, removed);
        Assert.Equal(1, labels[Size.Offset(4, 4, 4)]);
        Assert.Equal(0, labels[Size.Offset(8, 1, 1)]);
        Assert.Equal(0, labels[Size.Offset(1, 7, 1)]);
        Assert.Equal(2, labels[Size.Offset(8, 7, 6)]);
        Assert.Equal(3, labels[Size.Offset(6, 1, 6)]);
        Assert.Equal(28, labels.Count(l => l == 1));
    }

    [Fact]
    public void Only_the_listed_labels_are_filtered()
    {
        var labels = new ushort[Size.VoxelCount];
        labels[Size.Offset(0, 0, 0)] = 1;
        labels[Size.Offset(5, 5, 5)] = 1;
        labels[Size.Offset(6, 5, 5)] = 1;
        labels[Size.Offset(0, 8, 0)] = 2;
        labels[Size.Offset(9, 8, 7)] = 2;

        LargestComponentFilter.KeepLargest(labels, Size, new HashSet<ushort> { 1 });

        Assert.Equal(0, labels[Size.Offset(0, 0, 0)]);
        Assert.Equal(2, labels.Count(l => l == 2));
    }

    [Fact]
    public void Argmax_labels_come_out_i_fastest()
    {
        using var scope = NewDisposeScope();
        var probabilities = zeros([3, 4, 3, 2]);
        for (var i = 0; i < 4; i++)
        {
            for (var j = 0; j < 3; j++)
            {
                for (var k = 0; k < 2; k++)
                {
                    probabilities[(i + j + k) % 3, i, j, k] = 1;
                }
            }
        }

        var labels = ArgmaxLabels.FromProbabilities(probabilities);

        var grid = new GridSize(4, 3, 2);
        Assert.Equal(24, labels.Length);
        Assert.Equal((ushort)((3 + 1 + 1) % 3), labels[grid.Offset(3, 1, 1)]);
        Assert.Equal((ushort)((2 + 0 + 1) % 3), labels[grid.Offset(2, 0, 1)]);
        Assert.Equal((ushort)((1 + 2 + 0) % 3), labels[grid.Offset(1, 2, 0)]);
    }
}
