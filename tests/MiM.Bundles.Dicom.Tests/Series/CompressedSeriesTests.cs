using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Dicom.Tests.Series;

/// <summary>Series compressed by DCMTK load to the native series' volume; pydicom's CT_small matches pydicom.</summary>
public class CompressedSeriesTests
{
    [Theory]
    [InlineData("dcmcrle")]
    [InlineData("dcmcjpeg", "+e1")]
    [InlineData("dcmcjpeg", "+el")]
    public void A_compressed_series_loads_to_the_native_volume(string tool, params string[] options)
    {
        using var folder = new TemporaryFolder();
        var native = folder.File("native");
        new TestCtSeries(new Vector3D(1, 0, 0), new Vector3D(0, 0.8, -0.6)) { Slices = 5 }.Write(native);
        var compressed = Directory.CreateDirectory(folder.File("compressed")).FullName;
        foreach (var file in Directory.GetFiles(native))
        {
            Tool.Run(tool, [.. options, file, Path.Combine(compressed, Path.GetFileName(file))]);
        }

        Assert.All(Directory.GetFiles(compressed), f => Assert.True(Dicom.IO.DicomFile.Open(f).TransferSyntax.IsEncapsulated, f));
        var expected = CtSeriesLoader.LoadFolder(native).Volume;
        var actual = CtSeriesLoader.LoadFolder(compressed);

        Assert.Empty(actual.Report.Issues);
        Assert.True(expected.Geometry.IsSameGrid(actual.Volume.Geometry), $"{actual.Volume.Geometry} vs {expected.Geometry}");
        Assert.Equal(expected.Voxels, actual.Volume.Voxels);
    }

    [Fact]
    public void Pydicom_ct_small_loads_as_one_slice_equal_to_pydicom_rescaled_pixels()
    {
        var path = PeerTools.PydicomFile("CT_small.dcm");
        const string Script = "import sys,pydicom; ds=pydicom.dcmread(sys.argv[1]); a=ds.pixel_array*float(ds.RescaleSlope)+float(ds.RescaleIntercept); "
            + "print(a.shape[1], a.shape[0], float(a.sum()), float((a*a).sum()), a[0,0], a[10,20], a[127,3])";
        var (code, stdout, stderr) = ExternalTool.Run(PeerTools.Python, "-c", Script, path);
        Assert.True(code == 0, stderr);
        var numbers = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        var loaded = CtSeriesLoader.LoadFiles([path]);
        var volume = loaded.Volume;

        Assert.Equal(new GridSize((int)numbers[0], (int)numbers[1], 1), volume.Size);
        Assert.Equal(numbers[2], volume.Voxels.Sum(v => (double)v));
        Assert.Equal(numbers[3], volume.Voxels.Sum(v => (double)v * v));
        Assert.Equal(numbers[4], volume[0, 0, 0]);
        Assert.Equal(numbers[5], volume[20, 10, 0]);
        Assert.Equal(numbers[6], volume[3, 127, 0]);
        Assert.Contains(loaded.Report.Issues, i => i.Kind == SeriesIssueKind.AssumedSpacing);
    }
}
