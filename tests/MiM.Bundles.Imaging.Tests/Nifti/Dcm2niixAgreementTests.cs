using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Tests.Interop;

namespace MiM.Bundles.Imaging.Tests.Nifti;

/// <summary>
/// Cross-checks the reader against an independent implementation: DCMTK writes a CT series of known geometry,
/// dcm2niix converts it, and every voxel we read must sit, by its LPS position, exactly on the DICOM pixel whose
/// value it carries. dcm2niix may flip rows or reorder slices; checking by position makes that irrelevant.
/// </summary>
public class Dcm2niixAgreementTests
{
    private const double IndexTolerance = 1e-3;

    public static TheoryData<string> Cases() => new("axial", "axial-feet-first-reversed-files", "flipped-rows", "oblique", "sagittal", "coronal");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_voxel_of_the_dcm2niix_conversion_lies_on_the_dicom_pixel_with_its_value(string acquisition)
    {
        using var folder = new TemporaryFolder();
        var series = Series(acquisition);
        var dicomFolder = folder.File("dicom");
        var outputFolder = Directory.CreateDirectory(folder.File("nifti")).FullName;
        series.Write(dicomFolder, folder.Path);

        ExternalTool.Run("dcm2niix", folder.Path, "-z", "y", "-f", "out", "-o", outputFolder, dicomFolder);
        var converted = Directory.GetFiles(outputFolder, "*.nii.gz");
        var path = Assert.Single(converted);
        var volume = NiftiReader.ReadVolume(path);

        Assert.Equal((long)series.Columns * series.Rows * series.Slices, volume.Size.VoxelCount);
        var mismatches = new List<string>();
        for (var k = 0; k < volume.Size.K; k++)
        {
            for (var j = 0; j < volume.Size.J; j++)
            {
                for (var i = 0; i < volume.Size.I; i++)
                {
                    var problem = Check(series, volume, i, j, k);
                    if (problem is not null && mismatches.Count < 5)
                    {
                        mismatches.Add(problem);
                    }
                }
            }
        }

        Assert.True(mismatches.Count == 0, $"dcm2niix output disagrees with the DICOM series ({volume.Geometry}):\n{string.Join('\n', mismatches)}");
        AssertQformAgreesWithSform(path, volume.Geometry);
    }

    /// <summary>dcm2niix writes both transforms; decoding its quaternion checks ours against an independent encoder.</summary>
    private static void AssertQformAgreesWithSform(string path, VolumeGeometry fromSform)
    {
        var header = NiftiReader.ReadHeader(path);
        Assert.True(header.SformCode > 0 && header.QformCode > 0, "dcm2niix is expected to write both sform and qform");
        header.SformCode = 0;
        var fromQform = NiftiGeometryDecoder.Decode(header, fromSform.Size, path);
        Assert.True(fromSform.IsSameGrid(fromQform), $"qform gives {fromQform}\n but sform gives {fromSform}");
    }

    private static string? Check(DcmtkCtSeries series, Volume volume, int i, int j, int k)
    {
        var index = series.Locate(volume.Geometry.IndexToPhysical(i, j, k));
        var (c, r, s) = ((int)Math.Round(index.X), (int)Math.Round(index.Y), (int)Math.Round(index.Z));
        if (Math.Abs(index.X - c) > IndexTolerance || Math.Abs(index.Y - r) > IndexTolerance || Math.Abs(index.Z - s) > IndexTolerance
            || c < 0 || c >= series.Columns || r < 0 || r >= series.Rows || s < 0 || s >= series.Slices)
        {
            return $"voxel ({i}, {j}, {k}) lies at DICOM index {index}, not on a pixel of the series";
        }

        var expected = series.StoredValue(c, r, s) + DcmtkCtSeries.RescaleIntercept;
        var actual = volume[i, j, k];
        return actual == expected ? null : $"voxel ({i}, {j}, {k}) at DICOM ({c}, {r}, {s}) holds {actual}, expected {expected}";
    }

    private static DcmtkCtSeries Series(string acquisition)
    {
        var tilt = TestGrids.Rotation(new Vector3D(1, 0, 0), Math.PI / 9); // 20° about x, then 20° about y
        var yaw = TestGrids.Rotation(new Vector3D(0, 1, 0), Math.PI / 9);
        var (row, column, reversed) = acquisition switch
        {
            "axial" => (new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), false),
            "axial-feet-first-reversed-files" => (new Vector3D(1, 0, 0), new Vector3D(0, 1, 0), true),
            "flipped-rows" => (new Vector3D(-1, 0, 0), new Vector3D(0, 1, 0), false),
            "oblique" => (yaw.Apply(tilt.IAxis), yaw.Apply(tilt.JAxis), false),
            "sagittal" => (new Vector3D(0, 1, 0), new Vector3D(0, 0, -1), false),
            "coronal" => (new Vector3D(1, 0, 0), new Vector3D(0, 0, -1), false),
            _ => throw new ArgumentOutOfRangeException(nameof(acquisition), acquisition, "Unknown acquisition."),
        };
        return new DcmtkCtSeries(
            columns: 24, rows: 20, slices: 12, rowSpacing: 0.8, columnSpacing: 0.7, sliceSpacing: 2.5,
            row, column, firstPosition: new Vector3D(-95.5, -120.25, 33.75), slicesAgainstNormal: reversed, reverseFileOrder: reversed);
    }
}
