using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Uids;

namespace MiM.Bundles.Dicom.Segmentation;

/// <summary>
/// Writes a label map on a source series' grid as a DICOM Segmentation (PS3.3 A.51): one frame per segment and plane
/// (empty ones dropped unless kept), BINARY bit-packed or FRACTIONAL, per-frame references to the source image it was
/// derived from and the Common Instance Reference listing every source instance. The object records the source
/// series and bundle version (Series Description, Content Description, Derivation Description).
/// </summary>
public static partial class SegmentationWriter
{
    /// <summary>Segmentation Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.66.4";

    /// <summary>Builds the DICOM-SEG file (not yet written; call <see cref="DicomFile.Save"/>).</summary>
    /// <param name="labels">The label map on the source grid (the same voxels in another axis order or direction are reordered).</param>
    /// <param name="source">The source series.</param>
    /// <param name="segments">What each label value means; every non-zero value in the map must be described.</param>
    /// <param name="options">Bundle name/version and per-destination options.</param>
    /// <exception cref="DicomException">The label map's voxels are not the source grid's, a label is not described, a segment is invalid, or the source lacks a Frame of Reference UID.</exception>
    public static DicomFile Create(LabelMap labels, SourceSeries source, IReadOnlyList<SegmentDescription> segments, SegmentationOptions options)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(options);
        labels = SourceGridAlignment.Align(labels, source.Geometry);
        CheckSegments(segments);
        if (!ContentLabelSyntax().IsMatch(options.ContentLabel))
        {
            throw new DicomException($"content label '{options.ContentLabel}'; expected 1 to 16 upper-case letters, digits, spaces or underscores (CS)");
        }

        var frameOfReference = source.FrameOfReferenceUid
            ?? throw new DicomException($"source series {source.SeriesInstanceUid} has no Frame of Reference UID; a Segmentation needs one to place its frames", null, DerivedTags.FrameOfReferenceUid, null);

        var values = segments.Select(s => s.Value).ToList();
        var frames = SegmentFramePlanner.Plan(labels, values, options.KeepEmptyFrames, out var undescribed);
        if (undescribed.Count > 0)
        {
            throw new DicomException(
                $"label value(s) {string.Join(", ", undescribed)} occur in the label map but no segment describes them; expected a segment for each (described: {string.Join(", ", values)})");
        }

        if (frames.Count == 0)
        {
            // Nothing found is a result too; a SEG needs at least one frame, so it carries one empty frame.
            frames = [new SegmentFrame(1, values[0], 0, 0)];
        }

        var created = options.CreatedAt ?? DateTimeOffset.UtcNow;
        var uids = ResultUidGenerator.Create(source.SeriesInstanceUid, options.AlgorithmName, options.AlgorithmVersion, options.Nonce ?? Guid.NewGuid());
        var trace = $"{options.AlgorithmName} {options.AlgorithmVersion}";
        var data = new DicomDataset();
        CommonModules.SopCommon(data, SopClassUid, uids.SopInstanceUid, created);
        CommonModules.PatientAndStudy(data, source);
        CommonModules.Series(data, "SEG", uids.SeriesInstanceUid, options, $"SEG {trace}", created);
        CommonModules.Equipment(data, options);
        data.SetStrings(DerivedTags.FrameOfReferenceUid, DicomVr.UI, frameOfReference);
        data.SetStrings(DerivedTags.PositionReferenceIndicator, DicomVr.LO);

        // General Image and Segmentation Image.
        data.SetNumbers(DerivedTags.InstanceNumber, DicomVr.IS, options.InstanceNumber);
        CommonModules.ContentDateTime(data, created);
        data.SetStrings(DerivedTags.ImageType, DicomVr.CS, "DERIVED", "PRIMARY");
        data.SetStrings(DerivedTags.ContentLabel, DicomVr.CS, options.ContentLabel);
        data.SetStrings(DerivedTags.ContentDescription, DicomVr.LO, CommonModules.Cut(trace, 64));
        data.SetStrings(DerivedTags.ContentCreatorName, DicomVr.PN, options.ContentCreatorName is { } creator ? [creator] : []);
        data.SetStrings(DerivedTags.DerivationDescription, DicomVr.ST, $"Segmentation of series {source.SeriesInstanceUid} by bundle {options.AlgorithmName} version {options.AlgorithmVersion}");
        data.SetStrings(DerivedTags.LossyImageCompression, DicomVr.CS, "00");
        ImagePixel(data, labels.Size, options.Pixels);
        data.Set(new DicomSequence(DerivedTags.SegmentSequence, segments.Select((s, n) => Segment(s, n + 1, options))));

        // Multi-frame Functional Groups and Dimension.
        data.SetNumbers(DerivedTags.NumberOfFrames, DicomVr.IS, frames.Count);
        data.Set(new DicomSequence(DerivedTags.SharedFunctionalGroupsSequence, [SharedGroups(labels.Geometry)]));
        var byPlane = source.Images.ToLookup(i => i.Plane);
        data.Set(new DicomSequence(DerivedTags.PerFrameFunctionalGroupsSequence, frames.Select(f => FrameGroups(f, labels.Geometry, byPlane[f.Plane]))));
        Dimensions(data, uids.DimensionOrganizationUid);
        CommonInstanceReference(data, source);

        // OB for both: 1-bit and 8-bit pixels are byte streams (PS3.5 8.1.1, A.2).
        data.SetBytes(DicomTag.PixelData, DicomVr.OB, SegmentPixelEncoder.Encode(labels, frames, options.Pixels));
        CommonModules.DropCharacterSetIfAscii(data);
        return new DicomFile(data);
    }

    private static void CheckSegments(IReadOnlyList<SegmentDescription> segments)
    {
        if (segments.Count == 0)
        {
            throw new DicomException("no segments described; expected at least one");
        }

        var zero = segments.FirstOrDefault(s => s.Value == 0);
        if (zero is not null)
        {
            throw new DicomException($"segment '{zero.Name}' has label value 0; expected 1..65535 (0 is background)");
        }

        var repeated = segments.GroupBy(s => s.Value).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
        {
            throw new DicomException($"label value {repeated.Key} is described {repeated.Count()} times ({string.Join(", ", repeated.Select(s => s.Name))}); expected once");
        }
    }

    private static void ImagePixel(DicomDataset data, GridSize size, SegmentationPixels pixels)
    {
        var bits = pixels == SegmentationPixels.Binary ? 1 : 8;
        data.SetNumbers(DerivedTags.SamplesPerPixel, DicomVr.US, 1);
        data.SetStrings(DerivedTags.PhotometricInterpretation, DicomVr.CS, "MONOCHROME2");
        data.SetNumbers(DicomTag.Rows, DicomVr.US, size.J);
        data.SetNumbers(DicomTag.Columns, DicomVr.US, size.I);
        data.SetNumbers(DerivedTags.BitsAllocated, DicomVr.US, bits);
        data.SetNumbers(DerivedTags.BitsStored, DicomVr.US, bits);
        data.SetNumbers(DerivedTags.HighBit, DicomVr.US, bits - 1);
        data.SetNumbers(DerivedTags.PixelRepresentation, DicomVr.US, 0);
        data.SetStrings(DerivedTags.SegmentationType, DicomVr.CS, pixels == SegmentationPixels.Binary ? "BINARY" : "FRACTIONAL");
        if (pixels == SegmentationPixels.Fractional)
        {
            data.SetStrings(DerivedTags.SegmentationFractionalType, DicomVr.CS, "PROBABILITY");
            data.SetNumbers(DerivedTags.MaximumFractionalValue, DicomVr.US, SegmentPixelEncoder.MaxFractional);
        }
    }

    private static DicomDataset Segment(SegmentDescription segment, int number, SegmentationOptions options)
    {
        var context = $"segment {number} '{segment.Name}' (label {segment.Value})";
        var item = new DicomDataset();
        item.SetNumbers(DerivedTags.SegmentNumber, DicomVr.US, number);
        item.SetStrings(DerivedTags.SegmentLabel, DicomVr.LO, CommonModules.Cut(segment.Name, 64));
        item.SetStrings(DerivedTags.SegmentDescription, DicomVr.ST, $"{segment.Type.CodeMeaning} (label value {segment.Value})");
        item.SetStrings(DerivedTags.SegmentAlgorithmType, DicomVr.CS, "AUTOMATIC");
        item.SetStrings(DerivedTags.SegmentAlgorithmName, DicomVr.LO, CommonModules.Cut(options.AlgorithmName, 64));
        var algorithm = new DicomDataset();
        algorithm.Set(CodeItem.Sequence(DerivedTags.AlgorithmFamilyCodeSequence, CodeItem.ArtificialIntelligence, context));
        algorithm.SetStrings(DerivedTags.AlgorithmName, DicomVr.LO, CommonModules.Cut(options.AlgorithmName, 64));
        algorithm.SetStrings(DerivedTags.AlgorithmVersion, DicomVr.LO, CommonModules.Cut(options.AlgorithmVersion, 64));
        item.Set(new DicomSequence(DerivedTags.SegmentationAlgorithmIdentificationSequence, [algorithm]));
        item.Set(CodeItem.Sequence(DerivedTags.SegmentedPropertyCategoryCodeSequence, segment.Category, context + " category"));
        item.Set(CodeItem.Sequence(DerivedTags.SegmentedPropertyTypeCodeSequence, segment.Type, context + " type"));
        item.SetNumbers(DerivedTags.RecommendedDisplayCieLabValue, DicomVr.US, [.. CieLabColour.ToDicom(segment.Colour).Select(v => (double)v)]);
        return item;
    }

    private static DicomDataset SharedGroups(VolumeGeometry grid)
    {
        var measures = new DicomDataset();
        measures.SetNumbers(DerivedTags.PixelSpacing, DicomVr.DS, grid.Spacing.Y, grid.Spacing.X);
        measures.SetNumbers(DerivedTags.SliceThickness, DicomVr.DS, grid.Spacing.Z);
        measures.SetNumbers(DerivedTags.SpacingBetweenSlices, DicomVr.DS, grid.Spacing.Z);
        var orientation = new DicomDataset();
        var (row, column) = (grid.Direction.IAxis, grid.Direction.JAxis);
        orientation.SetNumbers(DerivedTags.ImageOrientationPatient, DicomVr.DS, row.X, row.Y, row.Z, column.X, column.Y, column.Z);
        var shared = new DicomDataset();
        shared.Set(new DicomSequence(DerivedTags.PixelMeasuresSequence, [measures]));
        shared.Set(new DicomSequence(DerivedTags.PlaneOrientationSequence, [orientation]));
        return shared;
    }

    private static DicomDataset FrameGroups(SegmentFrame frame, VolumeGeometry grid, IEnumerable<SourceImage> sources)
    {
        var item = new DicomDataset();
        var references = sources.Select(SourceReference).ToList();
        if (references.Count > 0)
        {
            var derivation = new DicomDataset();
            derivation.Set(CodeItem.Sequence(DerivedTags.DerivationCodeSequence, CodeItem.Segmentation, "derivation"));
            derivation.Set(new DicomSequence(DerivedTags.SourceImageSequence, references));
            item.Set(new DicomSequence(DerivedTags.DerivationImageSequence, [derivation]));
        }
        else
        {
            // A plane filled by interpolation (a missing slice) has no source image: the Type 2 sequence stays empty.
            item.Set(new DicomSequence(DerivedTags.DerivationImageSequence));
        }

        var content = new DicomDataset();
        content.SetNumbers(DerivedTags.DimensionIndexValues, DicomVr.UL, frame.SegmentNumber, frame.Plane + 1);
        item.Set(new DicomSequence(DerivedTags.FrameContentSequence, [content]));
        var position = new DicomDataset();
        var ipp = grid.IndexToPhysical(0, 0, frame.Plane);
        position.SetNumbers(DerivedTags.ImagePositionPatient, DicomVr.DS, ipp.X, ipp.Y, ipp.Z);
        item.Set(new DicomSequence(DerivedTags.PlanePositionSequence, [position]));
        var segment = new DicomDataset();
        segment.SetNumbers(DerivedTags.ReferencedSegmentNumber, DicomVr.US, frame.SegmentNumber);
        item.Set(new DicomSequence(DerivedTags.SegmentIdentificationSequence, [segment]));
        return item;
    }

    private static DicomDataset SourceReference(SourceImage image)
    {
        var reference = CommonModules.Reference(image);
        if (image.FrameNumber is { } frame)
        {
            reference.SetNumbers(DerivedTags.ReferencedFrameNumber, DicomVr.IS, frame);
        }

        reference.Set(CodeItem.Sequence(DerivedTags.PurposeOfReferenceCodeSequence, CodeItem.SourceForProcessing, "source image"));
        reference.SetStrings(DerivedTags.SpatialLocationsPreserved, DicomVr.CS, "YES");
        return reference;
    }

    private static void Dimensions(DicomDataset data, string organizationUid)
    {
        var organization = new DicomDataset();
        organization.SetStrings(DerivedTags.DimensionOrganizationUid, DicomVr.UI, organizationUid);
        data.Set(new DicomSequence(DerivedTags.DimensionOrganizationSequence, [organization]));
        data.SetStrings(DerivedTags.DimensionOrganizationType, DicomVr.CS, "3D");
        DicomDataset Index(DicomTag pointer, DicomTag group, string label)
        {
            var item = new DicomDataset();
            item.SetStrings(DerivedTags.DimensionOrganizationUid, DicomVr.UI, organizationUid);
            item.SetTags(DerivedTags.DimensionIndexPointer, pointer);
            item.SetTags(DerivedTags.FunctionalGroupPointer, group);
            item.SetStrings(DerivedTags.DimensionDescriptionLabel, DicomVr.LO, label);
            return item;
        }

        data.Set(new DicomSequence(DerivedTags.DimensionIndexSequence,
        [
            Index(DerivedTags.ReferencedSegmentNumber, DerivedTags.SegmentIdentificationSequence, "ReferencedSegmentNumber"),
            Index(DerivedTags.ImagePositionPatient, DerivedTags.PlanePositionSequence, "ImagePositionPatient"),
        ]));
    }

    private static void CommonInstanceReference(DicomDataset data, SourceSeries source)
    {
        var series = new DicomDataset();
        series.SetStrings(DerivedTags.SeriesInstanceUid, DicomVr.UI, source.SeriesInstanceUid);
        series.Set(new DicomSequence(DerivedTags.ReferencedInstanceSequence, source.Instances.Select(CommonModules.Reference)));
        data.Set(new DicomSequence(DerivedTags.ReferencedSeriesSequence, [series]));
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Z0-9_ ]{1,16}$")]
    private static partial System.Text.RegularExpressions.Regex ContentLabelSyntax();
}
