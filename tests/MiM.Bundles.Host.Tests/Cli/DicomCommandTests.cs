using System.Text.Json;

namespace MiM.Bundles.Host.Tests.Cli;

public class DicomCommandTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private const string PydicomFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    [Fact]
    public void Dump_prints_dcmdump_style_lines_with_keywords()
    {
        var result = MimProcess.Run(Timeout, "dicom", "dump", CtSmall());
        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("(0028,0010) US 128", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("Rows", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Dump_json_follows_the_dicom_json_model()
    {
        var result = MimProcess.Run(Timeout, "dicom", "dump", CtSmall(), "--json");
        Assert.True(result.ExitCode == 0, result.StdErr);
        using var json = JsonDocument.Parse(result.StdOut);
        var rows = json.RootElement.GetProperty("00280010");
        Assert.Equal("US", rows.GetProperty("vr").GetString());
        Assert.Equal(128, rows.GetProperty("Value")[0].GetInt32());
        Assert.Equal("CT", json.RootElement.GetProperty("00080060").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public void Dump_of_a_truncated_file_fails_with_the_reason()
    {
        var result = MimProcess.Run(Timeout, "dicom", "dump", Path.Combine(PydicomFiles, "MR_truncated.dcm"));
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("E: ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void To_nifti_writes_the_series_with_its_geometry()
    {
        var folder = Path.Combine(Path.GetTempPath(), "mim-to-nifti-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "series"));
            File.Copy(CtSmall(), Path.Combine(folder, "series", "ct.dcm"));
            var output = Path.Combine(folder, "ct.nii.gz");
            var result = MimProcess.Run(Timeout, "dicom", "to-nifti", Path.Combine(folder, "series"), output);
            Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
            var volume = MiM.Bundles.Imaging.Nifti.NiftiReader.ReadVolume(output);
            Assert.Equal(new MiM.Bundles.Contracts.Imaging.GridSize(128, 128, 1), volume.Size);
            Assert.True(volume.Voxels.Max() > volume.Voxels.Min());

            // --fsync waits for the disk; the file is the same.
            var durable = Path.Combine(folder, "durable.nii.gz");
            var synced = MimProcess.Run(Timeout, "dicom", "to-nifti", Path.Combine(folder, "series"), durable, "--fsync");
            Assert.True(synced.ExitCode == 0, synced.StdOut + synced.StdErr);
            Assert.Equal(volume.Voxels, MiM.Bundles.Imaging.Nifti.NiftiReader.ReadVolume(durable).Voxels);
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string CtSmall()
    {
        var path = Path.Combine(PydicomFiles, "CT_small.dcm");
        Assert.True(File.Exists(path), $"{path} is missing: run scripts/install-peers.sh (python3-pydicom).");
        return path;
    }
}
