using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Series;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>Gaps, localizers, several series, duplicates, gantry tilt and unsigned pixels.</summary>
public class SeriesDefectTests
{
    private static readonly Vector3D X = new(1, 0, 0);
    private static readonly Vector3D Y = new(0, 1, 0);

    [Fact]
    public void A_missing_slice_is_reported_and_its_plane_interpolated_on_the_regular_grid()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(X, Y) { Missing = new HashSet<int> { 4 } };
        series.Write(folder.Path);

        var loaded = CtSeriesLoader.LoadFolder(folder.Path);

        var issue = Assert.Single(loaded.Report.Issues);
        Assert.Equal(SeriesIssueKind.MissingSlices, issue.Kind);
        Assert.Contains("1 slice(s) missing", issue.Message, StringComparison.Ordinal);
        Assert.Equal(new GridSize(24, 20, 10), loaded.Volume.Size);
        Assert.Equal(2.5, loaded.Volume.Geometry.Spacing.Z, 4);
        Assert.Equal(9, loaded.Report.SliceFiles.Count);
        Assert.Equal(series.Value(3, 7, 4), loaded.Volume[3, 7, 4]); // the pattern is linear in the slice index
        Assert.Equal(series.Value(3, 7, 5), loaded.Volume[3, 7, 5]);
    }

    [Fact]
    public void A_slice_cut_inside_its_pixel_data_fails_the_load_naming_the_file()
    {
        // The header scan reads up to the pixel data only, so the cut is found when the pixels are read on from there.
        using var folder = new TemporaryFolder();
        new TestCtSeries(X, Y).Write(folder.Path);
        var cut = Directory.GetFiles(folder.Path, "*.dcm").Order(StringComparer.Ordinal).ElementAt(3);
        var bytes = File.ReadAllBytes(cut);
        File.WriteAllBytes(cut, bytes[..^50]);

        var error = Assert.Throws<DicomException>(() => CtSeriesLoader.LoadFolder(folder.Path));

        Assert.Equal(cut, error.FilePath);
        Assert.Equal(10, CtSeriesLoader.ScanFolder(folder.Path).Report.SliceFiles.Count);
    }

    [Fact]
    public void A_localizer_of_another_orientation_is_dropped_and_reported()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(X, Y);
        series.Write(folder.Path);
        var localizer = series.WriteSlice(folder.Path, 0, 99, Y, new Vector3D(0, 0, -1), new Vector3D(0, -120, 60));

        var loaded = CtSeriesLoader.LoadFolder(folder.Path);

        var issue = Assert.Single(loaded.Report.Issues);
        Assert.Equal(SeriesIssueKind.Localizer, issue.Kind);
        Assert.Equal(localizer, issue.FilePath);
        Assert.Equal(10, loaded.Volume.Size.K);
    }

    [Fact]
    public void Two_series_in_one_folder_are_grouped_the_larger_loaded_by_default_the_other_by_uid()
    {
        using var folder = new TemporaryFolder();
        new TestCtSeries(X, Y).Write(folder.File("a"));
        new TestCtSeries(X, Y) { Slices = 6, SeriesSuffix = "9", FirstPosition = new(0, 0, -200) }.Write(folder.File("b/nested"));
        File.WriteAllText(folder.File("README.txt"), "not DICOM");

        var loaded = CtSeriesLoader.LoadFolder(folder.Path);
        Assert.Equal(10, loaded.Volume.Size.K);
        var other = Assert.Single(loaded.Report.OtherSeries);
        Assert.Equal(6, other.Files);
        Assert.Contains(loaded.Report.Issues, i => i.Kind == SeriesIssueKind.Skipped && i.FilePath == folder.File("README.txt"));

        var chosen = CtSeriesLoader.LoadFolder(folder.Path, new CtSeriesOptions { SeriesInstanceUid = other.SeriesInstanceUid });
        Assert.Equal(6, chosen.Volume.Size.K);
        Assert.Equal(-200, chosen.Volume.Geometry.Origin.Z, 6);

        var absent = Assert.Throws<DicomException>(() => CtSeriesLoader.LoadFolder(folder.Path, new CtSeriesOptions { SeriesInstanceUid = "1.2.3" }));
        Assert.Contains("1.2.3 is not among the inputs", absent.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_position_is_dropped_and_reported()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(X, Y);
        series.Write(folder.Path);
        var copy = series.WriteSlice(folder.Path, 3, 50, X, Y, series.Position(3));

        var loaded = CtSeriesLoader.LoadFolder(folder.Path);

        var issue = Assert.Single(loaded.Report.Issues);
        Assert.Equal(SeriesIssueKind.Duplicate, issue.Kind);
        Assert.Equal(copy, issue.FilePath);
        Assert.Equal(10, loaded.Volume.Size.K);
    }

    [Fact]
    public void Gantry_tilt_is_refused_with_a_clear_message()
    {
        using var folder = new TemporaryFolder();
        new TestCtSeries(X, Y) { TiltShift = 0.5 }.Write(folder.Path);

        var e = Assert.Throws<DicomException>(() => CtSeriesLoader.LoadFolder(folder.Path));

        Assert.Contains("gantry tilt", e.Message, StringComparison.Ordinal);
        Assert.Contains("off the normal", e.Message, StringComparison.Ordinal);
        Assert.Equal(new MiM.Bundles.Dicom.Core.DicomTag(0x0020, 0x0032), e.Tag);
        Assert.NotNull(e.FilePath);
    }

    [Fact]
    public void Slightly_non_parallel_slices_are_refused()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(X, Y);
        series.Write(folder.Path);
        var turned = TestCtSeries.Rotate(Y, X, 0.02);
        series.WriteSlice(folder.Path, 0, 77, X, turned, series.Position(0) + new Vector3D(0, 0, 100));

        var e = Assert.Throws<DicomException>(() => CtSeriesLoader.LoadFolder(folder.Path));

        Assert.Contains("not parallel", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unsigned_pixels_with_slope_and_intercept_are_rescaled()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(X, Y) { Unsigned = true, Slope = 0.5, Intercept = -20000, Slices = 3 };
        series.Write(folder.Path);

        var volume = CtSeriesLoader.LoadFolder(folder.Path).Volume;

        Assert.True(series.StoredValue(23, 19, 2) > 32767);
        for (var k = 0; k < 3; k++)
        {
            for (var j = 0; j < series.Rows; j++)
            {
                for (var i = 0; i < series.Columns; i++)
                {
                    Assert.Equal(series.Value(i, j, k), volume[i, j, k]);
                }
            }
        }
    }

    [Fact]
    public void Two_far_apart_stacks_under_one_series_uid_are_refused_rather_than_padded()
    {
        using var folder = new TemporaryFolder();
        new TestCtSeries(X, Y).Write(folder.File("a"));
        new TestCtSeries(X, Y) { FirstPosition = new(-95.5, -120.25, 233.75) }.Write(folder.File("b"));

        var e = Assert.Throws<DicomException>(() => CtSeriesLoader.LoadFolder(folder.Path));

        Assert.Contains("20 slices spread over 90 planes", e.Message, StringComparison.Ordinal);
    }
}
