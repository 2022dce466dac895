using System.Diagnostics;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Inference;

[Collection(SerialTorchTests.Name)]
public sealed class VolumeSegmenterTests
{
    [Fact]
    public void The_label_map_lies_on_the_input_grid_of_a_non_RAS_volume()
    {
        manual_seed(51);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        var description = new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = network.Options };
        var pipeline = VolumeSegmenter.PipelineFor(description, ".");

        // LPS-aligned axes with the k axis pointing inferior: Orientation flips i, j and k.
        var geometry = new VolumeGeometry(
            new GridSize(40, 35, 18), new Vector3D(10, -20, 300), new Vector3D(0.8, 0.8, 2.5),
            new Direction3D(new(1, 0, 0), new(0, 1, 0), new(0, 0, -1)));
        var random = new Random(3);
        var volume = new Volume(geometry, Enumerable.Range(0, (int)geometry.Size.VoxelCount).Select(_ => (float)((random.NextDouble() * 600) - 300)).ToArray());

        var labels = new VolumeSegmenter(network, pipeline, new SlidingWindowOptions(32, 0.5, 2), keepLargest: true).Segment(volume);

        Assert.True(labels.Geometry.IsSameGrid(geometry));
        Assert.All(labels.Voxels, l => Assert.InRange(l, 0, 2));
    }

    [Fact]
    public void Timings_count_every_window_and_time_each_part()
    {
        manual_seed(52);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        var description = new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = network.Options };
        var geometry = new VolumeGeometry(new GridSize(40, 35, 18), new Vector3D(0, 0, 0), new Vector3D(1, 1, 1), Direction3D.Identity);
        var volume = new Volume(geometry, new float[geometry.Size.VoxelCount]);
        var timings = new SegmentationTimings();
        var clock = Stopwatch.StartNew();

        new VolumeSegmenter(network, VolumeSegmenter.PipelineFor(description, "."), new SlidingWindowOptions(32, 0.5, 3), keepLargest: true)
            .Segment(volume, timings);

        // ROI 32 at overlap 0.5 over 40 × 35 × 18 (padded to 32): starts {0, 8} × {0, 3} × {0}.
        Assert.Equal(4, timings.Windows);
        var parts = new[] { timings.Transforms, timings.Network, timings.Blending, timings.Labels, timings.BackToSource, timings.KeepLargest };
        Assert.All(parts, part => Assert.True(part > TimeSpan.Zero));
        Assert.True(parts.Aggregate(TimeSpan.Zero, (sum, part) => sum + part) <= clock.Elapsed);
    }

    [Fact]
    public void Predicted_labels_go_back_to_the_voxels_they_were_predicted_for()
    {
        using var scope = NewDisposeScope();

        // A predictor whose class-1 logit is large exactly where the input is bright: the labels must land on the
        // bright voxels of the source grid, whatever reorientation happened in between.
        var geometry = new VolumeGeometry(
            new GridSize(36, 33, 20), new Vector3D(0, 0, 0), new Vector3D(1, 1, 2),
            new Direction3D(new(-1, 0, 0), new(0, 0, 1), new(0, -1, 0)));
        var voxels = new float[geometry.Size.VoxelCount];
        var bright = new HashSet<long>();
        for (var k = 3; k < 9; k++)
        {
            for (var j = 20; j < 30; j++)
            {
                for (var i = 5; i < 12; i++)
                {
                    bright.Add(geometry.Size.Offset(i, j, k));
                }
            }
        }

        foreach (var v in bright)
        {
            voxels[v] = 250;
        }

        var pipeline = VolumeSegmenter.PipelineFor(new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = new DownstreamOptions() }, ".");

        var labels = new VolumeSegmenter(pipeline, BrightIsClassOne, keepLargest: false).Segment(new Volume(geometry, voxels));

        for (var v = 0; v < voxels.Length; v++)
        {
            Assert.Equal(bright.Contains(v) ? 1 : 0, labels.Voxels[v]);
        }
    }

    /// <summary>Sliding windows over a fixed "network" with logits (0, 10·(x − 0.5)) per voxel.</summary>
    private static Tensor BrightIsClassOne(Tensor volume)
    {
        var input = volume.reshape(1, 1, volume.shape[0], volume.shape[1], volume.shape[2]);
        var logits = new SlidingWindowInferer(new SlidingWindowOptions(32)).Infer(input, x => cat([zeros_like(x), (x - 0.5) * 10], 1));
        return logits[0].softmax(0);
    }
}
