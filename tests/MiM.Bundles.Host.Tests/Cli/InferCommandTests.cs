using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Weights;
using MiM.Bundles.Tests.Shared.Dicom;

namespace MiM.Bundles.Host.Tests.Cli;

public sealed class InferCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly string _directory = Directory.CreateTempSubdirectory("mim-infer-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Infer_refuses_DICOM_SEG_output_for_a_NIfTI_input()
    {
        var image = Path.Combine(_directory, "ct.nii.gz");
        File.WriteAllBytes(image, []);
        var result = MimProcess.Run(
            Timeout, "infer", "--weights", _directory, "--input", image, "--output", Path.Combine(_directory, "seg.dcm"),
            "--segments", RepositoryFiles.Path("configs", "segments", "phantom-abdomen.json"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--input must be a DICOM series folder", result.StdErr, StringComparison.Ordinal);
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

    [Fact]
    public void Infer_writes_labels_on_the_input_grid_and_scores_them_against_the_reference()
    {
        var model = SaveUnitModel();
        var phantom = MimProcess.Run(Timeout, "phantom", "--out", Path.Combine(_directory, "phantom"), "--count", "1", "--size", "40");
        Assert.True(phantom.ExitCode == 0, phantom.StdOut + phantom.StdErr);
        var image = Path.Combine(_directory, "phantom", "imagesTr", "phantom_0000.nii.gz");
        var output = Path.Combine(_directory, "seg.nii.gz");

        var result = MimProcess.Run(
            Timeout, "infer", "--weights", model, "--input", image, "--output", output,
            "--reference", Path.Combine(_directory, "phantom", "labelsTr", "phantom_0000.nii.gz"), "--keep-largest", "--sw-batch", "4");

        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var labels = NiftiReader.ReadLabelMap(output);
        Assert.True(labels.Geometry.IsSameGrid(NiftiReader.ReadVolume(image).Geometry));
        Assert.All(labels.Voxels, l => Assert.InRange(l, 0, 2));
        Assert.Contains("liver", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("mean Dice (without background)", result.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"time: model [0-9.]+ s, .* network [0-9.]+ s \(\d+ windows, .* total [0-9.]+ s", result.StdOut);
    }

    [Fact]
    public void Infer_reads_a_DICOM_series_folder_and_writes_the_same_labels_as_a_DICOM_SEG_that_dciodvfy_accepts()
    {
        var model = SaveUnitModel();
        var series = Path.Combine(_directory, "series");
        Directory.CreateDirectory(series);
        var slice = "/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm";
        Assert.True(File.Exists(slice), $"{slice} is missing: run scripts/install-peers.sh (python3-pydicom).");
        File.Copy(slice, Path.Combine(series, "ct.dcm"));
        var nifti = Path.Combine(_directory, "labels.nii.gz");
        var seg = Path.Combine(_directory, "seg.dcm");

        var result = MimProcess.Run(Timeout, "infer", "--weights", model, "--input", series, "--output", nifti, "--overlap", "0", "--sw-batch", "4");
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        var labels = NiftiReader.ReadLabelMap(nifti);
        Assert.Equal(new MiM.Bundles.Contracts.Imaging.GridSize(128, 128, 1), labels.Size);

        result = MimProcess.Run(
            Timeout, "infer", "--weights", model, "--input", series, "--output", seg, "--overlap", "0", "--sw-batch", "4",
            "--segments", RepositoryFiles.Path("configs", "segments", "phantom-abdomen.json"));
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("DICOM-SEG", result.StdOut, StringComparison.Ordinal);

        var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dciodvfy", seg);
        var errors = (stdout + stderr).Split('\n').Where(l => l.StartsWith("Error", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0 && code == 0, string.Join('\n', errors));

        // pydicom, an independent reader, counts the voxels of each segment; they equal the NIfTI run's label counts.
        var script = "import pydicom,sys\n"
            + "ds=pydicom.dcmread(sys.argv[1]); px=ds.pixel_array.reshape(int(ds.NumberOfFrames),-1)\n"
            + "counts={}\n"
            + "for i,f in enumerate(ds.PerFrameFunctionalGroupsSequence):\n"
            + "  s=int(f.SegmentIdentificationSequence[0].ReferencedSegmentNumber); counts[s]=counts.get(s,0)+int((px[i]>0).sum())\n"
            + "print(' '.join(f'{k}:{v}' for k,v in sorted(counts.items()) if v))\n";
        var (pyCode, pyOut, pyErr) = ExternalTool.Run("/usr/bin/python3", "-c", script, seg);
        Assert.True(pyCode == 0, pyErr);
        var expected = string.Join(' ', labels.Voxels.Where(v => v != 0).GroupBy(v => v).OrderBy(g => g.Key).Select(g => $"{g.Key}:{g.Count()}"));
        Assert.Equal(expected, pyOut.Trim());
    }

    /// <summary>An untrained unit-size model folder: inference plumbing does not need a trained network.</summary>
    private string SaveUnitModel()
    {
        var folder = Path.Combine(_directory, "model");
        TorchSharp.torch.manual_seed(7);
        using var network = new MimSegmentationNetwork(MimNetworkConfig.Unit, new DownstreamOptions { Classes = 3 });
        SegmentationModelFolder.Save(
            folder, network, new SegmentationModelDescription { Network = MimNetworkConfig.Unit, Options = network.Options, ClassNames = ["background", "liver", "spleen"] });
        return folder;
    }
}
