using System.Net;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Tests.Derived;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Dicom.Tests.Segmentation;

/// <summary>
/// SEGs of a DCMTK-made phantom series, BINARY and FRACTIONAL, empty frames dropped and kept: the validators
/// (dciodvfy, PixelMed) find no error, pydicom and dcmjs read back the phantom's voxel count for every segment and
/// plane, and Orthanc stores them.
/// </summary>
[Collection(DerivedObjectsDefinition.Name)]
public sealed class SegmentationPeerTests(PhantomSeriesFixture series, OrthancServer orthanc) : IClassFixture<OrthancServer>
{
    public static TheoryData<string> Variants() => new("binary-dropped", "binary-kept", "fractional-dropped", "fractional-kept");

    [Theory]
    [MemberData(nameof(Variants))]
    public void Dciodvfy_reports_no_errors(string variant)
    {
        var file = Write(variant);
        var (exit, errors, warnings) = DerivedObjectPeers.RunDciodvfy(file);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Concat(warnings)));
        Assert.Equal(0, exit);
    }

    [Theory]
    [InlineData("binary-dropped")]
    [InlineData("fractional-kept")]
    public void Pixelmed_reports_no_errors_beyond_its_laterality_complaint(string variant)
    {
        var errors = DerivedObjectPeers.RunPixelmed(Write(variant));
        var unexpected = errors.Where(e => !e.Contains("Laterality", StringComparison.Ordinal)).ToList();
        Assert.True(unexpected.Count == 0, string.Join('\n', unexpected));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Pydicom_reads_the_label_maps_voxel_count_per_segment_and_plane(string variant)
    {
        var frames = SegmentationReadBack.WithPydicom(Write(variant), series.Labels.Geometry);
        AssertSameCounts(frames);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Dcmjs_reads_the_label_maps_voxel_count_per_segment_and_plane(string variant)
    {
        var frames = SegmentationReadBack.WithDcmjs(Write(variant), series.Labels.Geometry);
        AssertSameCounts(frames);
    }

    [Fact]
    public void Every_frame_references_the_source_instance_of_its_plane()
    {
        var frames = SegmentationReadBack.WithPydicom(Write("binary-kept"), series.Labels.Geometry);
        var instanceOfPlane = series.Source.Images.ToDictionary(i => i.Plane, i => i.SopInstanceUid);
        Assert.All(frames, f => Assert.Equal([instanceOfPlane[f.Plane]], f.Sources));
    }

    [Theory]
    [InlineData("binary-dropped")]
    [InlineData("fractional-kept")]
    public void Orthanc_stores_it(string variant)
    {
        var file = Write(variant);
        var (status, answer) = orthanc.Store(file);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Success", answer.GetProperty("Status").GetString());
        var tags = orthanc.Get($"instances/{answer.GetProperty("ID").GetString()}/simplified-tags");
        var written = DicomFile.Open(file).Dataset;
        Assert.Equal(written.GetUid(DicomTag.SopInstanceUid), tags.GetProperty("SOPInstanceUID").GetString());
        Assert.Equal(SegmentationWriter.SopClassUid, tags.GetProperty("SOPClassUID").GetString());
        Assert.Equal("SEG", tags.GetProperty("Modality").GetString());
    }

    private void AssertSameCounts(IReadOnlyList<SegmentationReadBack.Frame> frames)
    {
        var expected = PhantomSeriesFixture.CountPerPlane(series.Labels)
            .ToDictionary(e => (PhantomLabels.All.Select(s => (int)s.Value).ToList().IndexOf(e.Key.Value) + 1, e.Key.Plane), e => e.Value);
        var seen = SegmentationReadBack.Counts(frames);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), seen.OrderBy(e => e.Key).ToList());
        Assert.Equal(PhantomLabels.All.Count, seen.Keys.Select(k => k.Segment).Distinct().Count());
    }

    private string Write(string variant)
    {
        var path = series.NewFile(variant + ".dcm");
        var options = new SegmentationOptions
        {
            AlgorithmName = "abdomen-ct-seg",
            AlgorithmVersion = "1.2.3",
            Pixels = variant.StartsWith("fractional", StringComparison.Ordinal) ? SegmentationPixels.Fractional : SegmentationPixels.Binary,
            KeepEmptyFrames = variant.EndsWith("kept", StringComparison.Ordinal),
        };
        SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, options).Save(path);
        return path;
    }
}
