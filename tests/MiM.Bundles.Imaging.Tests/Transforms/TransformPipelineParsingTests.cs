using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Imaging.Transforms.CropPad;
using MiM.Bundles.Imaging.Transforms.Configuration;
using MiM.Bundles.Imaging.Transforms.Grids;
using MiM.Bundles.Imaging.Transforms.Intensity;
using MiM.Bundles.Imaging.Transforms.Spatial;
using MiM.Bundles.Tests.Shared;

namespace MiM.Bundles.Imaging.Tests.Transforms;

public class TransformPipelineParsingTests
{
    [Fact]
    public void Every_transform_is_read_with_monai_parameter_names()
    {
        var pipeline = TransformPipeline.Parse("""
            {"transforms": [
              {"name": "LoadImage", "keys": ["image", "label"]},
              {"name": "Orientation", "axcodes": "LPS"},
              {"name": "Spacing", "pixdim": [1.5, 1.5, 2.0], "mode": ["nearest", "nearest"]},
              {"name": "ScaleIntensityRange", "a_min": -175, "a_max": 250, "b_min": 0, "b_max": 1, "clip": true},
              {"name": "CropForeground", "source_key": "label", "margin": [1, 2, 3], "threshold": 0.5},
              {"name": "SpatialPad", "spatial_size": 96, "method": "end", "value": -1},
              {"name": "RandCropByPosNegLabel", "spatial_size": [96, 96, 64], "pos": 2, "neg": 1, "num_samples": 4, "image_key": "image", "image_threshold": 0.1},
              {"name": "RandFlip", "spatial_axis": 2, "prob": 0.5},
              {"name": "RandRotate90", "prob": 0.2, "max_k": 2, "spatial_axes": [1, 2]},
              {"name": "RandShiftIntensity", "offsets": [-0.1, 0.2], "prob": 0.5}
            ]}
            """);

        Assert.Equal(["Orientation", "Spacing", "ScaleIntensityRange", "CropForeground", "SpatialPad", "RandCropByPosNegLabel", "RandFlip", "RandRotate90", "RandShiftIntensity"], pipeline.Transforms.Select(t => t.Name));
        Assert.Equal("LPS", Assert.IsType<OrientationTransform>(pipeline.Transforms[0]).Axcodes.Codes);
        var spacing = Assert.IsType<SpacingTransform>(pipeline.Transforms[1]);
        Assert.Equal([1.5, 1.5, 2.0], spacing.Pixdim);
        Assert.Equal(Interpolation.Nearest, spacing.ImageMode);
        var scale = Assert.IsType<ScaleIntensityRangeTransform>(pipeline.Transforms[2]);
        Assert.Equal((-175f, 250f, 0f, 1f, true), (scale.AMin, scale.AMax, scale.BMin, scale.BMax, scale.Clip));
        var crop = Assert.IsType<CropForegroundTransform>(pipeline.Transforms[3]);
        Assert.Equal(("label", 0.5), (crop.SourceKey, crop.Threshold));
        Assert.Equal([1, 2, 3], crop.Margin);
        var pad = Assert.IsType<SpatialPadTransform>(pipeline.Transforms[4]);
        Assert.Equal([96, 96, 96], pad.SpatialSize);
        Assert.Equal((false, -1f), (pad.Symmetric, pad.Value));
        var posNeg = Assert.IsType<RandCropByPosNegLabelTransform>(pipeline.Transforms[5]);
        Assert.Equal([96, 96, 64], posNeg.SpatialSize);
        Assert.Equal((2.0, 1.0, 4, true, 0.1), (posNeg.Pos, posNeg.Neg, posNeg.NumSamples, posNeg.UseImage, posNeg.ImageThreshold));
        var flip = Assert.IsType<RandFlipTransform>(pipeline.Transforms[6]);
        Assert.Equal([2], flip.SpatialAxes);
        Assert.Equal(0.5, flip.Prob);
        var rotate = Assert.IsType<RandRotate90Transform>(pipeline.Transforms[7]);
        Assert.Equal((0.2, 2, 1, 2), (rotate.Prob, rotate.MaxK, rotate.FirstAxis, rotate.SecondAxis));
        var shift = Assert.IsType<RandShiftIntensityTransform>(pipeline.Transforms[8]);
        Assert.Equal((-0.1, 0.2, 0.5), (shift.MinOffset, shift.MaxOffset, shift.Prob));
    }

    [Fact]
    public void Monai_defaults_apply_when_parameters_are_left_out()
    {
        var pipeline = TransformPipeline.Parse("""
            {"transforms": [{"name": "RandFlip"}, {"name": "RandRotate90"}, {"name": "RandShiftIntensity", "offsets": 0.1}, {"name": "ScaleIntensityRange", "a_min": 0, "a_max": 1}]}
            """);

        Assert.Equal([0, 1, 2], Assert.IsType<RandFlipTransform>(pipeline.Transforms[0]).SpatialAxes);
        Assert.Equal(0.1, ((RandFlipTransform)pipeline.Transforms[0]).Prob);
        var rotate = Assert.IsType<RandRotate90Transform>(pipeline.Transforms[1]);
        Assert.Equal((0.1, 3, 0, 1), (rotate.Prob, rotate.MaxK, rotate.FirstAxis, rotate.SecondAxis));
        var shift = Assert.IsType<RandShiftIntensityTransform>(pipeline.Transforms[2]);
        Assert.Equal((-0.1, 0.1), (shift.MinOffset, shift.MaxOffset));
        Assert.False(Assert.IsType<ScaleIntensityRangeTransform>(pipeline.Transforms[3]).Clip);
    }

    [Fact]
    public void Monai_dictionary_names_with_a_trailing_d_are_accepted()
    {
        var pipeline = TransformPipeline.Parse("""{"transforms": [{"name": "LoadImaged"}, {"name": "Orientationd", "axcodes": "RAS"}, {"name": "Spacingd", "pixdim": 2}]}""");

        Assert.Equal(["Orientation", "Spacing"], pipeline.Transforms.Select(t => t.Name));
    }

    [Theory]
    [InlineData("""{"transforms": [{"name": "Orientation", "axcodes": "RAS"}, {"name": "Spacingg", "pixdim": 1}]}""", "transforms[1]", "\"Spacingg\"", "expected one of", "Spacing")]
    [InlineData("""{"transforms": [{"name": "Spacing", "pixdims": [1, 1, 1]}]}""", "transforms[0] \"Spacing\"", "\"pixdim\" is required", "unknown parameter \"pixdims\"")]
    [InlineData("""{"transforms": [{"name": "Spacing", "pixdim": 1, "modes": "nearest"}]}""", "transforms[0] \"Spacing\"", "unknown parameter \"modes\"", "accepts", "\"pixdim\"", "\"mode\"", "\"keys\"")]
    [InlineData("""{"transforms": [{"name": "Spacing"}]}""", "transforms[0] \"Spacing\"", "\"pixdim\" is required", "3 numbers")]
    [InlineData("""{"transforms": [{"name": "Spacing", "pixdim": "1.5"}]}""", "transforms[0] \"Spacing\"", "\"pixdim\" must be a number or an array of 3 numbers", "was \"1.5\"")]
    [InlineData("""{"transforms": [{"name": "Spacing", "pixdim": [1, 2]}]}""", "\"pixdim\" must be a number or an array of 3 numbers", "was [1, 2]")]
    [InlineData("""{"transforms": [{"name": "Spacing", "pixdim": 1, "mode": ["bilinear", "bilinear"]}]}""", "\"mode\"", "labels are never interpolated")]
    [InlineData("""{"transforms": [{"name": "Orientation", "axcodes": "RAR"}]}""", "transforms[0] \"Orientation\"", "\"axcodes\"", "L/R, P/A, S/I")]
    [InlineData("""{"transforms": [{"name": "RandFlip", "prob": 1.5}]}""", "transforms[0] \"RandFlip\"", "\"prob\"", "from 0 to 1")]
    [InlineData("""{"transforms": [{"name": "RandFlip", "spatial_axis": 3}]}""", "\"spatial_axis\"", "0, 1 or 2")]
    [InlineData("""{"transforms": [{"name": "RandRotate90", "spatial_axes": [0, 0]}]}""", "\"spatial_axes\"", "two different")]
    [InlineData("""{"transforms": [{"name": "ScaleIntensityRange", "a_min": 1, "a_max": 1}]}""", "\"a_max\"", "different from a_min")]
    [InlineData("""{"transforms": [{"name": "ScaleIntensityRange", "a_min": 1, "a_max": 2, "clip": "yes"}]}""", "\"clip\" must be true or false")]
    [InlineData("""{"transforms": [{"name": "SpatialPad", "spatial_size": [96, 96.5, 96]}]}""", "\"spatial_size\"", "whole number")]
    [InlineData("""{"transforms": [{"name": "RandCropByPosNegLabel", "spatial_size": 96, "pos": 0, "neg": 0}]}""", "\"pos\"", "not both 0")]
    [InlineData("""{"transforms": [{"name": "CropForeground", "source_key": "seg"}]}""", "\"source_key\"", "\"image\" or \"label\"")]
    [InlineData("""{"transforms": [{"name": "Orientation", "keys": ["img"], "axcodes": "RAS"}]}""", "\"keys\"", "\"img\"")]
    [InlineData("""{"transforms": [{"name": "Orientation", "axcodes": "RAS"}, {"name": "LoadImage"}]}""", "transforms[1] \"LoadImage\"", "first transform")]
    [InlineData("""{"transforms": [{"axcodes": "RAS"}]}""", "transforms[0]", "\"name\" string")]
    [InlineData("""{"steps": []}""", "\"transforms\" array")]
    [InlineData("""{"transforms": [], "seed": 3}""", "top-level key \"seed\"")]
    [InlineData("""{"transforms": [""", "Not valid JSON")]
    public void Bad_pipelines_fail_with_a_message_naming_the_transform_the_key_and_what_was_expected(string json, params string[] fragments)
    {
        var error = Assert.Throws<TransformConfigException>(() => TransformPipeline.Parse(json));

        Assert.All(fragments, f => Assert.Contains(f, error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("abdomen-ct-train.json", 11)]
    [InlineData("abdomen-ct-infer.json", 4)]
    public void Shipped_pipelines_parse(string file, int transforms)
    {
        var pipeline = TransformPipeline.Load(RepositoryFiles.Path("configs", "transforms", file));

        Assert.Equal(transforms, pipeline.Transforms.Count);
        Assert.Equal([1.5, 1.5, 2.0], pipeline.Transforms.OfType<SpacingTransform>().Single().Pixdim);
        var window = pipeline.Transforms.OfType<ScaleIntensityRangeTransform>().Single();
        Assert.Equal((-175f, 250f, 0f, 1f, true), (window.AMin, window.AMax, window.BMin, window.BMax, window.Clip));
    }

    [Fact]
    public void A_file_error_names_the_file()
    {
        using var folder = new Nifti.TemporaryFolder();
        var path = folder.File("bad.json");
        File.WriteAllText(path, """{"transforms": [{"name": "Nope"}]}""");

        var error = Assert.Throws<TransformConfigException>(() => TransformPipeline.Load(path));

        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }
}
