using System.IO.Compression;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Host.Running;
using MiM.Bundles.Host.Shadow;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Shadow;

public sealed class ShadowReferenceTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_label_map_comes_back_with_its_exact_geometry_and_voxels()
    {
        var geometry = new VolumeGeometry(
            new GridSize(3, 2, 2),
            new Vector3D(-120.25, 33.5, 1007.125),
            new Vector3D(0.7421875, 0.7421875, 2.5),
            new Direction3D(new Vector3D(1, 0, 0), new Vector3D(0, 0.8, -0.6), new Vector3D(0, 0.6, 0.8)),
            "1.2.826.0.1.3680043.10.1466.7");
        ushort[] voxels = [0, 1, 2, 65535, 0, 0, 7, 1, 1, 0, 300, 2];
        var references = new ShadowReference(_temp.Path);

        references.Save("job-1", new JobResult("seg", "1.0.0", JobStatus.Succeeded, Labels: new LabelMap(geometry, voxels)));
        var back = references.Load("job-1");

        Assert.NotNull(back);
        Assert.Equal(("seg", "1.0.0", JobStatus.Succeeded), (back.BundleId, back.BundleVersion, back.Status));
        Assert.Equal(geometry, back.Labels!.Geometry);
        Assert.Equal(voxels, back.Labels.Voxels);
        Assert.Null(back.Classification);
        Assert.Equal(Path.Combine(_temp.Path, "job-1", ShadowReference.FileName), references.PathOf("job-1"));
    }

    [Fact]
    public void Classes_come_back_with_their_codes_and_probabilities_in_order()
    {
        var classes = new ClassificationResult("Liver lesion", "2.1.0",
        [
            new ClassProbability(CodedConcept.Snomed("263654008", "Abnormal"), 0.8125),
            new ClassProbability(CodedConcept.Snomed("17621005", "Normal"), 0.1875),
        ]);
        var references = new ShadowReference(_temp.Path);

        references.Save("job-2", new JobResult("cls", "2.1.0", JobStatus.Succeeded, Classification: classes));
        var back = references.Load("job-2")!;

        Assert.Null(back.Labels);
        Assert.Equal(("Liver lesion", "2.1.0"), (back.Classification!.ModelName, back.Classification.ModelVersion));
        Assert.Equal(classes.Probabilities, back.Classification.Probabilities);
    }

    [Fact]
    public void No_reference_kept_reads_as_null_and_Delete_removes_one()
    {
        var references = new ShadowReference(_temp.Path);
        Assert.Null(references.Load("never-kept"));
        references.Delete("never-kept"); // a serving job that failed has no results folder at all

        references.Save("job-3", new JobResult("seg", "1.0.0", JobStatus.Succeeded, Labels: LabelMap.Empty(new VolumeGeometry(new GridSize(2, 2, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity))));
        references.Delete("job-3");

        Assert.False(File.Exists(references.PathOf("job-3")));
        Assert.Null(references.Load("job-3"));
    }

    [Fact]
    public void A_result_without_labels_or_classes_is_refused()
    {
        var references = new ShadowReference(_temp.Path);

        Assert.Throws<ArgumentException>(() => references.Save("job-4", new JobResult("enc", "1.0.0", JobStatus.Succeeded)));
        Assert.False(File.Exists(references.PathOf("job-4")));
    }

    [Theory]
    [InlineData("not gzip at all")]
    [InlineData("truncated")]
    [InlineData("huge header")]
    public void A_damaged_reference_is_refused_naming_the_file(string damage)
    {
        var references = new ShadowReference(_temp.Path);
        references.Save("job-5", new JobResult("seg", "1.0.0", JobStatus.Succeeded, Labels: LabelMap.Empty(new VolumeGeometry(new GridSize(64, 64, 4), default, new Vector3D(1, 1, 1), Direction3D.Identity))));
        var path = references.PathOf("job-5");
        switch (damage)
        {
            case "not gzip at all":
                File.WriteAllText(path, "{ \"labels\": [] }");
                break;
            case "truncated":
                var whole = File.ReadAllBytes(path);
                File.WriteAllBytes(path, whole[..(whole.Length / 2)]);
                break;
            default:
                using (var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                {
                    gzip.Write(BitConverter.GetBytes(int.MaxValue));
                }

                break;
        }

        var error = Assert.Throws<InvalidDataException>(() => references.Load("job-5"));
        Assert.StartsWith(path, error.Message, StringComparison.Ordinal);
    }
}
