using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>
/// DCMTK writes CT series of known geometry and pixels; the loaded volume must hold pattern × slope + intercept at
/// the right (i, j, k), and every voxel of dcm2niix's conversion must lie, by LPS position, on our voxel of the same value.
/// </summary>
public class SeriesGeometryTests
{
    private const double IndexTolerance = 1e-3;

    public static TheoryData<string> Cases() => new("axial", "axial-feet-first-reversed-files", "flipped-rows", "oblique");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Volume_holds_the_pattern_at_the_right_index_and_agrees_with_dcm2niix_by_position(string acquisition)
    {
        using var folder = new TemporaryFolder();
        var series = Series(acquisition);
        var dicom = folder.File("dicom");
        series.Write(dicom);

        var loaded = CtSeriesLoader.LoadFolder(dicom);
        var volume = loaded.Volume;
        Assert.Empty(loaded.Report.Issues);
        Assert.Equal(new GridSize(series.Columns, series.Rows, series.Slices), volume.Size);
        Assert.Equal(series.ColumnSpacing, volume.Geometry.Spacing.X, 6);
        Assert.Equal(series.RowSpacing, volume.Geometry.Spacing.Y, 6);
        Assert.Equal(series.SliceSpacing, volume.Geometry.Spacing.Z, 4);
        Assert.Equal(1.0, volume.Geometry.Direction.Determinant, 6);
        Assert.Equal("1.2.826.0.1.3680043.10.1466.77.4", volume.Geometry.FrameOfReferenceUid);

        // i = column, j = row, k = slice in order along row × column.
        var againstNormal = acquisition.Contains("feet-first", StringComparison.Ordinal);
        for (var k = 0; k < series.Slices; k++)
        {
            var s = againstNormal ? series.Slices - 1 - k : k;
            for (var j = 0; j < series.Rows; j++)
            {
                for (var i = 0; i < series.Columns; i++)
                {
                    Assert.Equal(series.Value(i, j, s), volume[i, j, k]);
                }
            }

            Assert.True((volume.Geometry.IndexToPhysical(0, 0, k) - series.Position(s)).Length < 1e-4, $"plane {k} starts at {volume.Geometry.IndexToPhysical(0, 0, k)}, slice {s} at {series.Position(s)}");
        }

        var nifti = Directory.CreateDirectory(folder.File("nifti")).FullName;
        Tool.Run("dcm2niix", "-z", "y", "-f", "out", "-o", nifti, dicom);
        var theirs = NiftiReader.ReadVolume(Assert.Single(Directory.GetFiles(nifti, "*.nii.gz")));
        AssertSameByPosition(theirs, volume);
    }

    private static void AssertSameByPosition(Volume theirs, Volume ours)
    {
        Assert.Equal(ours.Size.VoxelCount, theirs.Size.VoxelCount);
        var problems = new List<string>();
        for (var k = 0; k < theirs.Size.K; k++)
        {
            for (var j = 0; j < theirs.Size.J; j++)
            {
                for (var i = 0; i < theirs.Size.I; i++)
                {
                    var index = ours.Geometry.PhysicalToIndex(theirs.Geometry.IndexToPhysical(i, j, k));
                    var (a, b, c) = ((int)Math.Round(index.X), (int)Math.Round(index.Y), (int)Math.Round(index.Z));
                    var off = Math.Max(Math.Abs(index.X - a), Math.Max(Math.Abs(index.Y - b), Math.Abs(index.Z - c)));
                    if (off > IndexTolerance || a < 0 || b < 0 || c < 0 || a >= ours.Size.I || b >= ours.Size.J || c >= ours.Size.K)
                    {
                        problems.Add($"dcm2niix voxel ({i}, {j}, {k}) lies at our index {index}");
                    }
                    else if (ours[a, b, c] != theirs[i, j, k])
                    {
                        problems.Add($"dcm2niix voxel ({i}, {j}, {k}) = {theirs[i, j, k]}, ours ({a}, {b}, {c}) = {ours[a, b, c]}");
                    }

                    if (problems.Count >= 5)
                    {
                        Assert.Fail($"ours {ours.Geometry}\ndcm2niix {theirs.Geometry}\n{string.Join('\n', problems)}");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    private static TestCtSeries Series(string acquisition) => acquisition switch
    {
        "axial" => new TestCtSeries(new(1, 0, 0), new(0, 1, 0)),
        "axial-feet-first-reversed-files" => new TestCtSeries(new(1, 0, 0), new(0, 1, 0), slicesAgainstNormal: true) { ReverseFileOrder = true },
        "flipped-rows" => new TestCtSeries(new(-1, 0, 0), new(0, 1, 0)),
        "oblique" => Oblique(),
        _ => throw new ArgumentOutOfRangeException(nameof(acquisition), acquisition, "Unknown acquisition."),
    };

    private static TestCtSeries Oblique()
    {
        Vector3D Turn(Vector3D v) => TestCtSeries.Rotate(TestCtSeries.Rotate(v, new(1, 0, 0), Math.PI / 9), new(0, 1, 0), Math.PI / 9);
        return new TestCtSeries(Turn(new(1, 0, 0)), Turn(new(0, 1, 0)));
    }
}
