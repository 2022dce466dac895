using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Cli;

/// <summary>
/// `mim dicom seg` and `mim dicom sr` on a phantom CT series made by DCMTK's dump2dcm (and the phantom's labels as
/// NIfTI) with the shipped configs/segments/phantom-abdomen.json and configs/results/phantom-classification.json: the
/// objects pass dciodvfy; bad inputs fail naming the file and what was expected.
/// </summary>
public sealed class DicomResultCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _folder = Directory.CreateTempSubdirectory("mim-dicom-seg-").FullName;
    private readonly string _series;
    private readonly string _labels;

    public DicomResultCommandTests()
    {
        var phantom = PhantomGenerator.Generate(seed: 9, size: 32);
        _series = Path.Combine(_folder, "series");
        DcmtkPhantomSeries.Write(phantom.Image, _series, "1.2.826.0.1.3680043.10.1466.79");
        _labels = Path.Combine(_folder, "labels.nii.gz");
        NiftiWriter.Write(_labels, phantom.Labels);
    }

    [Fact]
    public void Seg_writes_a_segmentation_that_dciodvfy_accepts()
    {
        var output = Path.Combine(_folder, "seg.dcm");
        var result = MimProcess.Run(Timeout, "dicom", "seg", "--source", _series, "--labels", _labels, "--segments", Segments(), "--out", output);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("9 segments, BINARY, referencing 32 images", result.StdOut, StringComparison.Ordinal);
        var data = DicomFile.Open(output).Dataset;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.66.4", data.GetUid(DicomTag.SopClassUid));
        Assert.Equal(9, data.GetItems(new DicomTag(0x0062, 0x0002)).Count);
        Assert.Equal("phantom-abdomen", data.GetItems(new DicomTag(0x0062, 0x0002))[0].GetString(new DicomTag(0x0062, 0x0009)));

        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dciodvfy", output);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0 && code == 0, string.Join('\n', errors));
    }

    [Fact]
    public void Seg_with_a_label_the_segments_file_does_not_describe_fails_naming_it()
    {
        var segments = Path.Combine(_folder, "without-ribs.json");
        var lines = File.ReadAllLines(Segments()).Where(l => !l.Contains("\"ribs\"", StringComparison.Ordinal)).ToArray();
        lines[^3] = lines[^3].TrimEnd(',');
        File.WriteAllLines(segments, lines);
        var result = MimProcess.Run(Timeout, "dicom", "seg", "--source", _series, "--labels", _labels, "--segments", segments, "--out", Path.Combine(_folder, "seg.dcm"));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"label value(s) {PhantomLabels.Ribs} occur in the label map but no segment describes them", result.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_folder, "seg.dcm")));
    }

    [Fact]
    public void Seg_with_a_broken_segments_file_fails_naming_the_file_and_the_segment()
    {
        var segments = Path.Combine(_folder, "retired.json");
        File.WriteAllText(segments, File.ReadAllText(Segments()).Replace("\"code\": \"10200004\"", "\"code\": \"10200004\", \"x\": 1", StringComparison.Ordinal).Replace("{ \"scheme\": \"SCT\", \"code\": \"78961009\"", "{ \"scheme\": \"SRT\", \"code\": \"78961009\"", StringComparison.Ordinal));
        var result = MimProcess.Run(Timeout, "dicom", "seg", "--source", _series, "--labels", _labels, "--segments", segments, "--out", Path.Combine(_folder, "seg.dcm"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(segments, result.StdErr, StringComparison.Ordinal);
        Assert.Contains("segment 2 (label 2) type: scheme \"SRT\" is retired", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Seg_help_lists_the_options()
    {
        var result = MimProcess.Run(Timeout, "dicom", "seg", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--source", "--labels", "--segments", "--out", "--fractional", "--keep-empty-frames", "--series" })
        {
            Assert.Contains(option, result.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sr_writes_a_comprehensive_sr_that_dciodvfy_accepts()
    {
        var output = Path.Combine(_folder, "sr.dcm");
        var result = MimProcess.Run(Timeout, "dicom", "sr", "--source", _series, "--result", RepositoryFiles.Path("configs", "results", "phantom-classification.json"), "--out", output);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("2 classes (most likely Lesion, 0.875) by liver-lesion-cls 0.4.1, referencing 32 images", result.StdOut, StringComparison.Ordinal);
        var data = DicomFile.Open(output).Dataset;
        Assert.Equal("1.2.840.10008.5.1.4.1.1.88.33", data.GetUid(DicomTag.SopClassUid));
        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dciodvfy", output);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0 && code == 0, string.Join('\n', errors));
    }

    [Fact]
    public void Sr_with_a_probability_out_of_range_fails_naming_the_class()
    {
        var file = Path.Combine(_folder, "bad.json");
        File.WriteAllText(file, File.ReadAllText(RepositoryFiles.Path("configs", "results", "phantom-classification.json")).Replace("0.125", "1.125", StringComparison.Ordinal));
        var result = MimProcess.Run(Timeout, "dicom", "sr", "--source", _series, "--result", file, "--out", Path.Combine(_folder, "sr.dcm"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{file}: class 2: expected \"probability\", a number from 0 to 1", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Segments() => RepositoryFiles.Path("configs", "segments", "phantom-abdomen.json");
}
