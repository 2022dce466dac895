namespace MiM.Bundles.Host.Tests.Cli;

public sealed class InferCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("mim-infer-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Infer_refuses_DICOM_SEG_output_until_the_writer_exists()
    {
        var result = MimProcess.Run(
            Timeout, "infer", "--weights", _directory, "--input", Path.Combine(_directory, "ct.nii.gz"), "--output", Path.Combine(_directory, "seg.dcm"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DICOM-SEG output is not available yet", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Infer_names_the_missing_model_description()
    {
        var result = MimProcess.Run(
            Timeout, "infer", "--weights", _directory, "--input", Path.Combine(_directory, "ct.nii.gz"), "--output", Path.Combine(_directory, "seg.nii.gz"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("segmentation.json is missing", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "seg.nii.gz")));
    }
}
