using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Series;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>Enhanced multi-frame CT: geometry and rescale from the functional groups, frames in any order.</summary>
public class EnhancedCtTests
{
    [Fact]
    public void An_enhanced_ct_with_shuffled_frames_loads_to_the_single_frame_series_volume()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(new Vector3D(0, 1, 0), new Vector3D(0, 0, -1)) { Slices = 6, Slope = 2, Intercept = -1000 };
        series.Write(folder.File("classic"));
        var enhanced = series.WriteEnhanced(folder.File("enhanced"), [3, 0, 5, 1, 4, 2]);

        var expected = CtSeriesLoader.LoadFolder(folder.File("classic")).Volume;
        var actual = CtSeriesLoader.LoadFolder(folder.File("enhanced"));

        Assert.Empty(actual.Report.Issues);
        Assert.Equal($"{enhanced} frame 2", actual.Report.SliceFiles[0]);
        Assert.True(expected.Geometry.IsSameGrid(actual.Volume.Geometry), $"{actual.Volume.Geometry} vs {expected.Geometry}");
        Assert.Equal(expected.Voxels, actual.Volume.Voxels);
        Assert.Equal(series.Value(5, 6, 3), actual.Volume[5, 6, 3]);
    }
}
