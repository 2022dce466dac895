using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class TransformInverseTests
{
    private static readonly Volume Image = TransformPipelineTests.Body.Image;
    private static readonly LabelMap Labels = TransformPipelineTests.Body.Labels;

    [Fact]
    public void Orientation_crop_pad_and_spacing_round_trip_restores_the_geometry_and_every_label()
    {
        // RAS spacing of the coronal body is (0.8, 2.0, 0.9): halving it maps every original centre onto a new one.
        var pipeline = TransformPipeline.Parse("""
            {"transforms": [
              {"name": "Orientation", "axcodes": "RAS"},
              {"name": "CropForeground", "source_key": "image", "threshold": -500, "margin": 1},
              {"name": "SpatialPad", "spatial_size": [48, 32, 40]},
              {"name": "Spacing", "pixdim": [0.4, 1.0, 0.45], "mode": ["bilinear", "nearest"]}
            ]}
            """);

        var result = Assert.Single(pipeline.Apply(SampleSource.FromVolumes(Image, Labels), 0));
        var labels = result.Inverse.Invert(result.Sample.Label!);
        var image = result.Inverse.Invert(result.Sample.Image);

        Assert.NotEqual(Image.Geometry.Size, result.Sample.Geometry.Size);
        Assert.Same(Image.Geometry, labels.Geometry);
        Assert.Same(Image.Geometry, image.Geometry);
        Assert.Equal(Labels.Voxels, labels.Voxels);

        // The image comes back exactly inside the crop box (body + 1-voxel margin); outside it was cropped away → 0.
        for (var k = 0; k < Image.Size.K; k++)
        {
            for (var j = 0; j < Image.Size.J; j++)
            {
                for (var i = 0; i < Image.Size.I; i++)
                {
                    var inBox = i is >= 3 and < 27 && j is >= 2 and < 22 && k is >= 1 and < 13;
                    Assert.Equal(inBox ? Image[i, j, k] : 0f, image[i, j, k]);
                }
            }
        }
    }

    [Fact]
    public void Flips_and_quarter_turns_of_an_oblique_grid_invert_exactly_everywhere()
    {
        var direction = Nifti.TestGrids.Direction("oblique");
        var original = new Volume(Image.Geometry with { Direction = direction }, (float[])Image.Voxels.Clone());
        var labels = new LabelMap(original.Geometry, (ushort[])Labels.Voxels.Clone());
        var pipeline = TransformPipeline.Parse("""
            {"transforms": [
              {"name": "Orientation", "axcodes": "RAS"},
              {"name": "RandFlip", "prob": 1, "spatial_axis": [0, 2]},
              {"name": "RandRotate90", "prob": 1, "max_k": 3, "spatial_axes": [1, 2]}
            ]}
            """);

        for (var seed = 0UL; seed < 4; seed++)
        {
            var result = Assert.Single(pipeline.Apply(SampleSource.FromVolumes(original, labels), seed));

            Assert.Equal(original.Voxels, result.Inverse.Invert(result.Sample.Image).Voxels);
            Assert.Equal(labels.Voxels, result.Inverse.Invert(result.Sample.Label!).Voxels);
        }
    }

    [Fact]
    public void Probabilities_at_coarser_spacing_come_back_interpolated_on_the_original_grid()
    {
        var pipeline = TransformPipeline.Parse("""{"transforms": [{"name": "Orientation", "axcodes": "RAS"}, {"name": "Spacing", "pixdim": [1.6, 4.0, 1.8]}]}""");
        var result = Assert.Single(pipeline.Apply(SampleSource.FromVolumes(TransformTestData.Linear(Image.Geometry)), 0));

        var back = result.Inverse.Invert(result.Sample.Image);

        // A linear function survives down- and up-sampling wherever the coarse grid brackets the point.
        Assert.Same(Image.Geometry, back.Geometry);
        Assert.Equal(TransformTestData.LinearValue(10, 8, 6), back[10, 8, 6], 2);
        Assert.Equal(TransformTestData.LinearValue(3, 5, 1), back[3, 5, 1], 2);
    }

    [Fact]
    public void Inverting_a_grid_other_than_the_transformed_one_is_refused()
    {
        var result = Assert.Single(TransformPipeline.Parse("""{"transforms": [{"name": "Orientation", "axcodes": "RAS"}]}""").Apply(SampleSource.FromVolumes(Image), 0));

        var error = Assert.Throws<ArgumentException>(() => result.Inverse.Invert(Labels));

        Assert.Contains("transformed", error.Message, StringComparison.Ordinal);
    }
}
