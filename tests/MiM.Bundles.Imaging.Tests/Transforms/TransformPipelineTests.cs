using System.Collections.Concurrent;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Tests.Nifti;
using MiM.Bundles.Imaging.Transforms;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class TransformPipelineTests
{
    // Every random transform fires often, so the determinism checks below exercise them all.
    private const string TrainJson = """
        {"transforms": [
          {"name": "LoadImage"},
          {"name": "Orientation", "axcodes": "RAS"},
          {"name": "Spacing", "pixdim": [1.1, 1.3, 1.7], "mode": ["bilinear", "nearest"]},
          {"name": "ScaleIntensityRange", "a_min": -175, "a_max": 250, "b_min": 0, "b_max": 1, "clip": true},
          {"name": "CropForeground", "source_key": "image"},
          {"name": "SpatialPad", "spatial_size": 16},
          {"name": "RandCropByPosNegLabel", "spatial_size": 16, "pos": 1, "neg": 1, "num_samples": 3},
          {"name": "RandFlip", "spatial_axis": [0], "prob": 0.5},
          {"name": "RandRotate90", "prob": 0.5, "max_k": 3},
          {"name": "RandShiftIntensity", "offsets": 0.1, "prob": 0.5}
        ]}
        """;

    [Fact]
    public void Same_seed_and_sample_index_give_identical_samples_on_one_thread_or_many_and_in_any_order()
    {
        var pipeline = TransformPipeline.Parse(TrainJson);
        var source = SampleSource.FromVolumes(Body.Image, Body.Labels);

        var sequential = Enumerable.Range(0, 6).Select(s => pipeline.Apply(source, seed: 42, s, new ParallelOptions { MaxDegreeOfParallelism = 1 })).ToArray();
        var parallel = new ConcurrentDictionary<int, IReadOnlyList<TransformedSample>>();
        Parallel.For(0, 6, new ParallelOptions { MaxDegreeOfParallelism = 4 }, s => parallel[5 - s] = pipeline.Apply(source, 42, 5 - s));

        for (var s = 0; s < 6; s++)
        {
            Assert.Equal(3, sequential[s].Count);
            for (var c = 0; c < 3; c++)
            {
                Assert.Equal(sequential[s][c].Sample.Geometry, parallel[s][c].Sample.Geometry);
                Assert.Equal(sequential[s][c].Sample.Image.Voxels, parallel[s][c].Sample.Image.Voxels);
                Assert.Equal(sequential[s][c].Sample.Label!.Voxels, parallel[s][c].Sample.Label!.Voxels);
            }
        }
    }

    [Fact]
    public void Another_seed_gives_other_samples()
    {
        var pipeline = TransformPipeline.Parse(TrainJson);
        var source = SampleSource.FromVolumes(Body.Image, Body.Labels);

        var a = pipeline.Apply(source, seed: 1).Select(s => s.Sample.Image.Voxels).ToArray();
        var b = pipeline.Apply(source, seed: 2).Select(s => s.Sample.Image.Voxels).ToArray();

        Assert.Contains(Enumerable.Range(0, 3), c => !a[c].SequenceEqual(b[c]));
    }

    [Fact]
    public void A_prepared_case_continued_with_the_random_rest_equals_the_whole_pipeline()
    {
        var pipeline = TransformPipeline.Parse(TrainJson);
        var source = SampleSource.FromVolumes(Body.Image, Body.Labels);

        var prepared = pipeline.Prepare(source);

        Assert.Equal(5, pipeline.RandomStart);
        for (var s = 0; s < 4; s++)
        {
            var cached = pipeline.Apply(prepared, 11, s);
            var whole = pipeline.Apply(source, 11, s);
            Assert.Equal(whole.Select(w => w.Sample.Image.Voxels), cached.Select(c => c.Sample.Image.Voxels));
            Assert.Equal(whole.Select(w => w.Sample.Label!.Voxels), cached.Select(c => c.Sample.Label!.Voxels));
            Assert.All(cached, c => Assert.Same(Body.Image.Geometry, c.Inverse.OriginalGeometry));
        }
    }

    [Fact]
    public void A_case_prepared_by_another_pipeline_is_refused()
    {
        var prepared = TransformPipeline.Parse(TrainJson).Prepare(SampleSource.FromVolumes(Body.Image, Body.Labels));

        Assert.Throws<ArgumentException>(() => TransformPipeline.Parse(TrainJson).Apply(prepared, 1));
    }

    [Fact]
    public void Labels_after_the_whole_training_pipeline_hold_only_input_label_values()
    {
        var pipeline = TransformPipeline.Parse(TrainJson);
        var input = Body.Labels.CountVoxels().Keys.ToHashSet();

        var outputs = Enumerable.Range(0, 5).SelectMany(s => pipeline.Apply(SampleSource.FromVolumes(Body.Image, Body.Labels), 9, s));

        Assert.All(outputs, o => Assert.Subset(input, o.Sample.Label!.CountVoxels().Keys.ToHashSet()));
    }

    [Fact]
    public void LoadImage_reads_nifti_image_and_label_files()
    {
        using var folder = new TemporaryFolder();
        NiftiWriter.Write(folder.File("image.nii.gz"), Body.Image);
        NiftiWriter.Write(folder.File("label.nii.gz"), Body.Labels);
        var pipeline = TransformPipeline.Parse("""{"transforms": [{"name": "LoadImage", "keys": ["image", "label"], "image_only": true}]}""");

        var loaded = Assert.Single(pipeline.Apply(SampleSource.FromFiles(folder.File("image.nii.gz"), folder.File("label.nii.gz")), 0));

        Assert.Equal(Body.Image.Voxels, loaded.Sample.Image.Voxels);
        Assert.Equal(Body.Labels.Voxels, loaded.Sample.Label!.Voxels);
        Assert.True(loaded.Sample.Geometry.IsSameGrid(Body.Image.Geometry, 1e-4));
    }

    [Fact]
    public void LoadImage_of_a_dicom_folder_says_to_pass_the_volume_the_dicom_layer_loaded()
    {
        using var folder = new TemporaryFolder();
        var pipeline = TransformPipeline.Parse("""{"transforms": [{"name": "LoadImage"}]}""");

        var error = Assert.Throws<ArgumentException>(() => pipeline.Apply(SampleSource.FromFiles(folder.Path), 0));

        Assert.Contains("FromVolumes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_map_off_the_image_grid_is_rejected()
    {
        var shifted = new LabelMap(Body.Image.Geometry with { Origin = new Vector3D(1, 2, 3) }, (ushort[])Body.Labels.Voxels.Clone());

        Assert.Throws<ArgumentException>(() => SampleSource.FromVolumes(Body.Image, shifted));
    }

    /// <summary>A coronal CT-like body: air (−1000 HU) around a soft-tissue block with two labelled organs.</summary>
    internal static class Body
    {
        public static readonly Volume Image;
        public static readonly LabelMap Labels;

        static Body()
        {
            var geometry = new VolumeGeometry(new GridSize(30, 24, 14), new Vector3D(-20, 15, 40), new Vector3D(0.8, 0.9, 2.0), TransformTestData.Coronal);
            Image = Volume.Zeros(geometry);
            Labels = LabelMap.Empty(geometry);
            for (var k = 0; k < 14; k++)
            {
                for (var j = 0; j < 24; j++)
                {
                    for (var i = 0; i < 30; i++)
                    {
                        var body = i is >= 4 and < 26 && j is >= 3 and < 21 && k is >= 2 and < 12;
                        var organ = !body ? 0 : i < 12 && j < 12 ? 1 : i >= 16 && k >= 6 ? 6 : 0;
                        Image[i, j, k] = body ? 40 + (3 * i) - (2 * j) + (5 * k) + (organ * 30) : -1000;
                        Labels[i, j, k] = (ushort)organ;
                    }
                }
            }
        }
    }
}
