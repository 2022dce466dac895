using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.Tests.Peers;
using MiM.Bundles.Dicom.Tests.Series;

namespace MiM.Bundles.Dicom.Tests.Segmentation;

/// <summary>SEGs over sources that are not one file per slice: an enhanced multi-frame CT, and a series with a missing slice.</summary>
public class SegmentationSourceTests
{
    private static readonly DicomTag PerFrame = new(0x5200, 0x9230);
    private static readonly DicomTag DerivationImage = new(0x0008, 0x9124);
    private static readonly DicomTag SourceImage = new(0x0008, 0x2112);
    private static readonly DicomTag ReferencedFrameNumber = new(0x0008, 0x1160);
    private static readonly DicomTag ReferencedSeries = new(0x0008, 0x1115);
    private static readonly DicomTag ReferencedInstances = new(0x0008, 0x114A);

    private static readonly SegmentDescription[] Segments =
    [
        new(1, "liver", CodedConcept.Snomed("123037004", "Anatomical Structure"), CodedConcept.Snomed("10200004", "Liver"), new RgbColour(221, 130, 101)),
    ];

    private static readonly SegmentationOptions Options = new() { AlgorithmName = "t", AlgorithmVersion = "1", KeepEmptyFrames = true };

    [Fact]
    public void Frames_of_an_enhanced_ct_are_referenced_by_frame_number_and_the_instance_once()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(new Vector3D(1, 0, 0), new Vector3D(0, 1, 0)) { Slices = 6 };
        series.WriteEnhanced(folder.File("ct"), [3, 0, 5, 1, 4, 2]);
        var loaded = CtSeriesLoader.LoadFolder(folder.File("ct"));
        var path = folder.File("seg.dcm");
        var data = SegmentationWriter.Create(Labels(loaded.Volume.Geometry), SourceSeries.FromLoad(loaded), Segments, Options).Dataset;
        new DicomFile(data).Save(path);

        var frames = data.GetItems(PerFrame);
        Assert.Equal(6, frames.Count);
        // Plane k was written as frame (index of k in the frame order) + 1.
        var order = new[] { 3, 0, 5, 1, 4, 2 };
        for (var k = 0; k < 6; k++)
        {
            var reference = Assert.Single(Assert.Single(frames[k].GetItems(DerivationImage)).GetItems(SourceImage));
            Assert.Equal(Array.IndexOf(order, k) + 1, reference.GetInt32(ReferencedFrameNumber));
        }

        Assert.Single(Assert.Single(data.GetItems(ReferencedSeries)).GetItems(ReferencedInstances));
        var (_, errors, warnings) = DerivedObjectPeers.RunDciodvfy(path);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Concat(warnings)));
    }

    [Fact]
    public void A_plane_filled_for_a_missing_slice_has_a_frame_but_no_source_reference()
    {
        using var folder = new TemporaryFolder();
        var series = new TestCtSeries(new Vector3D(1, 0, 0), new Vector3D(0, 1, 0)) { Slices = 6, Missing = new HashSet<int> { 2 } };
        series.Write(folder.File("ct"));
        var loaded = CtSeriesLoader.LoadFolder(folder.File("ct"));
        var path = folder.File("seg.dcm");
        var data = SegmentationWriter.Create(Labels(loaded.Volume.Geometry), SourceSeries.FromLoad(loaded), Segments, Options).Dataset;
        new DicomFile(data).Save(path);

        var frames = data.GetItems(PerFrame);
        Assert.Equal(6, frames.Count);
        Assert.True(frames[2].Contains(DerivationImage), "Derivation Image Sequence is Type 2: present, empty");
        Assert.Empty(frames[2].GetItems(DerivationImage));
        Assert.All(frames.Where((_, k) => k != 2), f => Assert.Single(f.GetItems(DerivationImage)));
        Assert.Equal(5, Assert.Single(data.GetItems(ReferencedSeries)).GetItems(ReferencedInstances).Count);
        var (_, errors, warnings) = DerivedObjectPeers.RunDciodvfy(path);
        Assert.True(errors.Count == 0, string.Join('\n', errors.Concat(warnings)));
    }

    private static LabelMap Labels(VolumeGeometry grid)
    {
        var labels = LabelMap.Empty(grid);
        for (var k = 0; k < grid.Size.K; k++)
        {
            labels[k, 1, k] = 1;
        }

        return labels;
    }
}
