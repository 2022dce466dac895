using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Tests.Derived;
using MiM.Bundles.Dicom.Tests.Series;
using MiM.Bundles.Dicom.Uids;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Dicom.Tests.Segmentation;

/// <summary>The SEG writer's structure and refusals: frames kept or dropped, references, UIDs, codes, geometry checks, bit packing.</summary>
[Collection(DerivedObjectsDefinition.Name)]
public sealed class SegmentationWriterTests(PhantomSeriesFixture series)
{
    private static readonly DicomTag PerFrame = new(0x5200, 0x9230);
    private static readonly DicomTag SegmentSequence = new(0x0062, 0x0002);
    private static readonly DicomTag ReferencedSeries = new(0x0008, 0x1115);
    private static readonly DicomTag ReferencedInstances = new(0x0008, 0x114A);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    private static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);
    private static readonly DicomTag CodingScheme = new(0x0008, 0x0102);

    private static SegmentationOptions Options(bool keepEmpty = false, Guid? nonce = null) =>
        new() { AlgorithmName = "abdomen-ct-seg", AlgorithmVersion = "1.2.3", KeepEmptyFrames = keepEmpty, Nonce = nonce };

    [Fact]
    public void Empty_frames_are_dropped_by_default_and_kept_when_asked()
    {
        var dropped = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset;
        var kept = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options(keepEmpty: true)).Dataset;
        var nonEmpty = PhantomSeriesFixture.CountPerPlane(series.Labels).Count;
        Assert.Equal(nonEmpty, dropped.GetInt32(NumberOfFrames));
        Assert.Equal(nonEmpty, dropped.GetItems(PerFrame).Count);
        Assert.Equal(PhantomLabels.All.Count * series.Labels.Size.K, kept.GetInt32(NumberOfFrames));
        Assert.True(nonEmpty < kept.GetInt32(NumberOfFrames), "the phantom should have planes without some organs");
        // Bit-packed: ceil(frames × rows × columns / 8), padded to even.
        var bits = (long)nonEmpty * series.Labels.Size.I * series.Labels.Size.J;
        var bytes = (bits + 7) / 8;
        Assert.Equal(bytes + (bytes % 2), ((DicomValueElement)dropped[DicomTag.PixelData]!).Length);
    }

    [Fact]
    public void A_header_scan_describes_the_source_as_the_full_load_does()
    {
        var scanned = SourceSeries.FromScan(Dicom.Series.CtSeriesLoader.ScanFolder(series.SeriesFolder));
        Assert.Equal(series.Source.Geometry, scanned.Geometry);
        Assert.Equal(series.Source.Images, scanned.Images);
        Assert.Equal(series.Source.SeriesInstanceUid, scanned.SeriesInstanceUid);
        Assert.Equal(series.Source.StudyInstanceUid, scanned.StudyInstanceUid);
    }

    [Fact]
    public void Every_source_instance_is_referenced_once()
    {
        var data = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset;
        var referencedSeries = Assert.Single(data.GetItems(ReferencedSeries));
        Assert.Equal(series.Loaded.Report.SeriesInstanceUid, referencedSeries.GetUid(SeriesInstanceUid));
        var referenced = referencedSeries.GetItems(ReferencedInstances).Select(i => i.GetUid(ReferencedSopInstanceUid)!).ToList();
        var sources = Directory.GetFiles(series.SeriesFolder).Select(f => DicomFile.Open(f).Dataset.GetUid(DicomTag.SopInstanceUid)!).ToList();
        Assert.Equal(sources.Count, referenced.Count);
        Assert.Equal(sources.Order(StringComparer.Ordinal), referenced.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Uids_are_valid_unique_per_result_and_repeatable_for_the_same_nonce()
    {
        string Uid(DicomDataset d, DicomTag tag) => d.GetUid(tag)!;
        var first = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset;
        var second = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset;
        var nonce = Guid.NewGuid();
        var again = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options(nonce: nonce)).Dataset;
        var againToo = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options(nonce: nonce)).Dataset;
        foreach (var data in new[] { first, second, again })
        {
            Assert.True(DicomUid.IsValid(Uid(data, DicomTag.SopInstanceUid)), Uid(data, DicomTag.SopInstanceUid));
            Assert.True(DicomUid.IsValid(Uid(data, SeriesInstanceUid)), Uid(data, SeriesInstanceUid));
            Assert.NotEqual(series.Loaded.Report.SeriesInstanceUid, Uid(data, SeriesInstanceUid));
        }

        Assert.NotEqual(Uid(first, DicomTag.SopInstanceUid), Uid(second, DicomTag.SopInstanceUid));
        Assert.NotEqual(Uid(first, SeriesInstanceUid), Uid(second, SeriesInstanceUid));
        Assert.NotEqual(Uid(first, DicomTag.SopInstanceUid), Uid(first, SeriesInstanceUid));
        Assert.Equal(Uid(again, DicomTag.SopInstanceUid), Uid(againToo, DicomTag.SopInstanceUid));
        // Traceable: the source series and the bundle version are written in the object.
        var derivation = first.GetString(new DicomTag(0x0008, 0x2111))!;
        Assert.Contains(series.Loaded.Report.SeriesInstanceUid, derivation, StringComparison.Ordinal);
        Assert.Contains("1.2.3", derivation, StringComparison.Ordinal);
    }

    [Fact]
    public void Segment_codes_use_SCT_never_the_retired_SRT()
    {
        var data = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset;
        var schemes = data.GetItems(SegmentSequence)
            .SelectMany(s => s.GetItems(new DicomTag(0x0062, 0x0003)).Concat(s.GetItems(new DicomTag(0x0062, 0x000F))))
            .Select(c => c.GetString(CodingScheme)).Distinct().ToList();
        Assert.Equal(["SCT"], schemes);

        var retired = PhantomLabels.All.Select(s => s with { Type = s.Type with { CodingSchemeDesignator = "SRT" } }).ToList();
        var e = Assert.Throws<DicomException>(() => SegmentationWriter.Create(series.Labels, series.Source, retired, Options()));
        Assert.Contains("SRT", e.Message, StringComparison.Ordinal);
        Assert.Contains("liver", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_map_off_the_source_grid_is_refused_saying_what_differs()
    {
        var g = series.Labels.Geometry;
        var shifted = new LabelMap(g with { Origin = g.Origin + new Vector3D(0, 0, 1.5) }, series.Labels.Voxels);
        var e = Assert.Throws<DicomException>(() => SegmentationWriter.Create(shifted, series.Source, PhantomLabels.All, Options()));
        Assert.Contains("origin", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("spacing", e.Message, StringComparison.Ordinal);

        var smaller = LabelMap.Empty(g with { Size = g.Size with { K = g.Size.K - 1 } });
        e = Assert.Throws<DicomException>(() => SegmentationWriter.Create(smaller, series.Source, PhantomLabels.All, Options()));
        Assert.Contains("size", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_voxels_in_another_axis_order_or_direction_are_reordered_losslessly()
    {
        var g = series.Labels.Geometry;
        var (ni, nj, nk) = (g.Size.I, g.Size.J, g.Size.K);
        // i and j swapped and one flipped: voxel (a, b, k) of the copy is voxel (b, J - 1 - a, k) of the original.
        var flipped = new ushort[series.Labels.Voxels.Length];
        for (var k = 0; k < nk; k++)
        {
            for (var j = 0; j < nj; j++)
            {
                for (var i = 0; i < ni; i++)
                {
                    flipped[(nj - 1 - j) + ((long)nj * (i + ((long)ni * k)))] = series.Labels[i, j, k];
                }
            }
        }

        var reordered = new LabelMap(
            new VolumeGeometry(new GridSize(nj, ni, nk), g.IndexToPhysical(0, nj - 1, 0), new Vector3D(g.Spacing.Y, g.Spacing.X, g.Spacing.Z), new Direction3D(-g.Direction.JAxis, g.Direction.IAxis, g.Direction.KAxis), g.FrameOfReferenceUid),
            flipped);
        var options = Options(nonce: Guid.NewGuid()) with { CreatedAt = DateTimeOffset.UnixEpoch };
        var expected = SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, options).Dataset;
        var actual = SegmentationWriter.Create(reordered, series.Source, PhantomLabels.All, options).Dataset;
        Assert.Equal(((DicomValueElement)expected[DicomTag.PixelData]!).Buffer.GetBytes(), ((DicomValueElement)actual[DicomTag.PixelData]!).Buffer.GetBytes());
        Assert.Equal(expected.GetInt32(NumberOfFrames), actual.GetInt32(NumberOfFrames));
    }

    [Fact]
    public void A_label_without_a_segment_description_is_refused_naming_the_label()
    {
        var withoutRibs = PhantomLabels.All.Where(s => s.Value != PhantomLabels.Ribs).ToList();
        var e = Assert.Throws<DicomException>(() => SegmentationWriter.Create(series.Labels, series.Source, withoutRibs, Options()));
        Assert.Contains($"label value(s) {PhantomLabels.Ribs} ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bits_continue_across_frame_boundaries_when_a_frame_is_not_a_whole_number_of_bytes()
    {
        // 5 × 3 = 15 pixels per frame: frame 1 starts at bit 7 of byte 0.
        var grid = new VolumeGeometry(new GridSize(5, 3, 2), new Vector3D(0, 0, 0), new Vector3D(1, 1, 2), Direction3D.Identity, "1.2.3.4");
        var labels = new LabelMap(grid, new ushort[30]);
        labels[4, 2, 0] = 1; // bit 14 (frame 0)
        labels[0, 0, 1] = 1; // bit 15 (frame 1)
        labels[2, 1, 1] = 1; // bit 22 (frame 1)
        var header = new DicomDataset();
        header.SetStrings(new DicomTag(0x0020, 0x000D), DicomVr.UI, "1.2.3.1");
        var source = new SourceSeries(grid, "1.2.3.2", header, [new SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3.3.1", null, 0), new SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3.3.2", null, 1)]);
        var segments = new[] { PhantomLabels.All[0] };
        var data = SegmentationWriter.Create(labels, source, segments, Options()).Dataset;
        var pixels = ((DicomValueElement)data[DicomTag.PixelData]!).Buffer.GetBytes();
        Assert.Equal(new byte[] { 0x00, 0xC0, 0x40, 0x00 }, pixels);

        using var folder = new TemporaryFolder();
        var path = folder.File("odd.dcm");
        new DicomFile(data).Save(path);
        var frames = SegmentationReadBack.WithPydicom(path, grid);
        Assert.Equal([1L, 2L], frames.Select(f => f.Count));
    }

    [Fact]
    public void Patient_and_study_text_is_copied_from_a_latin1_source_as_utf8()
    {
        var grid = new VolumeGeometry(new GridSize(8, 2, 1), new Vector3D(0, 0, 0), new Vector3D(1, 1, 1), Direction3D.Identity, "1.2.3.4");
        var labels = LabelMap.Empty(grid);
        labels[3, 1, 0] = 1;
        var header = new DicomDataset();
        header.SetStrings(DicomTag.SpecificCharacterSet, DicomVr.CS, "ISO_IR 100");
        header.SetStrings(DicomTag.PatientName, DicomVr.PN, "Müller^Jörg");
        header.SetStrings(new DicomTag(0x0008, 0x1030), DicomVr.LO, "Abdomen ÄÖÜ");
        header.SetStrings(new DicomTag(0x0020, 0x000D), DicomVr.UI, "1.2.3.1");
        var source = new SourceSeries(grid, "1.2.3.2", header, [new SourceImage("1.2.840.10008.5.1.4.1.1.2", "1.2.3.3.1", null, 0)]);
        var data = SegmentationWriter.Create(labels, source, [PhantomLabels.All[0]], Options()).Dataset;
        using var folder = new TemporaryFolder();
        var path = folder.File("latin1.dcm");
        new DicomFile(data).Save(path);
        var json = Peers.DerivedObjectPeers.Pydicom(
            "import sys, json, pydicom\nds = pydicom.dcmread(sys.argv[1])\nprint(json.dumps({'cs': ds.SpecificCharacterSet, 'name': str(ds.PatientName), 'study': ds.StudyDescription, 'date': ds.StudyDate}))",
            path);
        Assert.Equal("ISO_IR 192", json.GetProperty("cs").GetString());
        Assert.Equal("Müller^Jörg", json.GetProperty("name").GetString());
        Assert.Equal("Abdomen ÄÖÜ", json.GetProperty("study").GetString());
        Assert.Equal(string.Empty, json.GetProperty("date").GetString());

        // An all-ASCII object needs no Specific Character Set (the default repertoire).
        Assert.False(SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options()).Dataset.Contains(DicomTag.SpecificCharacterSet));
    }

    [Fact]
    public void A_content_label_that_is_not_a_code_string_is_refused()
    {
        var e = Assert.Throws<DicomException>(() => SegmentationWriter.Create(series.Labels, series.Source, PhantomLabels.All, Options() with { ContentLabel = "liver seg" }));
        Assert.Contains("'liver seg'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(255, 255, 255, 65535, 32896, 32896)]
    [InlineData(0, 0, 0, 0, 32896, 32896)]
    [InlineData(255, 0, 0, 34891, 53480, 50167)]
    public void Colours_become_scaled_CIELab(byte r, byte g, byte b, int l, int a, int bb)
    {
        var lab = CieLabColour.ToDicom(new RgbColour(r, g, b));
        Assert.InRange(lab[0], l - 2, l + 2);
        Assert.InRange(lab[1], a - 2, a + 2);
        Assert.InRange(lab[2], bb - 2, bb + 2);
    }
}
