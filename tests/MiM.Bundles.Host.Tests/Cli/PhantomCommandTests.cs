using System.Text.Json;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Host.Tests.Cli;

public sealed class PhantomCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mim-phantom-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public void Phantom_with_dicom_writes_each_case_as_a_CT_series_on_the_NIfTI_grid_with_its_HU()
    {
        var dicom = Path.Combine(_folder, "dicom");
        var result = MimProcess.Run(Timeout, "phantom", "--out", _folder, "--count", "2", "--size", "32", "--seed", "60", "--lesion-fraction", "1", "--dicom", dicom);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("32 CT slices", result.StdOut, StringComparison.Ordinal);

        var studies = new HashSet<string>(StringComparer.Ordinal);
        foreach (var seed in new[] { 60, 61 })
        {
            var nifti = NiftiReader.ReadVolume(Path.Combine(_folder, "imagesTr", $"phantom_{seed:D4}.nii.gz"));
            var series = MiM.Bundles.Dicom.Series.CtSeriesLoader.LoadFolder(Path.Combine(dicom, $"phantom_{seed:D4}"));
            Assert.True(series.Volume.Geometry.IsSameGrid(nifti.Geometry, 1e-3), $"DICOM {series.Volume.Geometry}, NIfTI {nifti.Geometry}");
            Assert.Equal(nifti.Voxels, series.Volume.Voxels);
            studies.Add(MiM.Bundles.Dicom.IO.DicomFile.Open(Path.Combine(dicom, $"phantom_{seed:D4}", "CT_0001.dcm")).Dataset.GetUid(new MiM.Bundles.Dicom.Core.DicomTag(0x0020, 0x000D))!);
        }

        Assert.Equal(2, studies.Count);
    }

    [Fact]
    public void Phantom_writes_an_msd_dataset_whose_files_read_back_with_matching_geometry()
    {
        var result = MimProcess.Run(Timeout, "phantom", "--out", _folder, "--count", "2", "--size", "48", "--seed", "40");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("[2/2] seed 41", result.StdOut, StringComparison.Ordinal);

        using var dataset = JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "dataset.json")));
        var root = dataset.RootElement;
        Assert.Equal("CT", root.GetProperty("modality").GetProperty("0").GetString());
        Assert.Equal("liver", root.GetProperty("labels").GetProperty("1").GetString());
        Assert.Equal(2, root.GetProperty("numTraining").GetInt32());
        var liver = root.GetProperty("segments")[0];
        Assert.Equal("10200004", liver.GetProperty("type").GetProperty("code").GetString());
        Assert.Equal("SCT", liver.GetProperty("type").GetProperty("scheme").GetString());

        foreach (var entry in root.GetProperty("training").EnumerateArray())
        {
            var image = NiftiReader.ReadVolume(Path.Combine(_folder, entry.GetProperty("image").GetString()!));
            var labels = NiftiReader.ReadLabelMap(Path.Combine(_folder, entry.GetProperty("label").GetString()!));
            Assert.Equal(48, image.Size.I);
            Assert.True(image.Geometry.IsSameGrid(labels.Geometry));
            Assert.Contains((ushort)1, labels.CountVoxels().Keys);
        }
    }

    [Fact]
    public void Phantom_refuses_a_size_below_32_and_says_why()
    {
        var result = MimProcess.Run(Timeout, "phantom", "--out", _folder, "--size", "8");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--size must be between 32 and 512", result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder));
    }

    [Fact]
    public void Phantom_without_out_explains_that_it_is_required()
    {
        var result = MimProcess.Run(Timeout, "phantom");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--out", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }
}
