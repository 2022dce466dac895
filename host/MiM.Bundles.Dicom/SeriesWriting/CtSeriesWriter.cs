using System.Globalization;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Pixels;
using MiM.Bundles.Dicom.Uids;

namespace MiM.Bundles.Dicom.SeriesWriting;

/// <summary>
/// Writes a <see cref="Volume"/> in HU as a classic CT series (CT Image Storage, one file per plane k of the grid):
/// Patient, General Study, General Series, Frame of Reference, General Equipment, General Acquisition, General Image,
/// Image Plane, Image Pixel, CT Image, VOI LUT and SOP Common modules. Planes are the volume's (i, j) planes, so
/// Image Orientation (Patient) is the i and j axes and Image Position (Patient) of file k is the centre of voxel (0, 0, k):
/// <see cref="Series.CtSeriesLoader"/> reads the same grid back. Pixels are unsigned 12-bit stored values with
/// Rescale Intercept -1024 and slope 1, as most scanners store CT: HU are rounded to integers and clamped to
/// [-1024, 3071].
/// </summary>
public static class CtSeriesWriter
{
    /// <summary>CT Image Storage.</summary>
    public const string SopClassUid = "1.2.840.10008.5.1.4.1.1.2";

    /// <summary>The lowest HU the stored values can hold (the rescale intercept).</summary>
    public const int RescaleIntercept = -1024;

    private const int MaxStored = 4095;

    /// <summary>Writes every plane of <paramref name="volume"/> into <paramref name="folder"/> (created) as <c>CT_NNNN.dcm</c>.</summary>
    /// <param name="volume">The CT in HU. Its direction must be orthonormal; its k axis need not be the normal's sign.</param>
    /// <param name="folder">Where the files go; existing files of the same names are replaced.</param>
    /// <param name="identity">Patient, study, series and frame of reference.</param>
    /// <param name="acquisition">Scanner attributes; the defaults describe a routine contrast abdominal CT.</param>
    /// <returns>The files written, in plane order.</returns>
    public static IReadOnlyList<string> Write(Volume volume, string folder, CtSeriesIdentity identity, CtAcquisition? acquisition = null)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentNullException.ThrowIfNull(identity);
        volume.Geometry.Validate();
        acquisition ??= new CtAcquisition();
        Directory.CreateDirectory(folder);
        var files = new string[volume.Size.K];
        for (var k = 0; k < volume.Size.K; k++)
        {
            files[k] = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"CT_{k + 1:D4}.dcm"));
            Slice(volume, k, identity, acquisition).Save(files[k]);
        }

        return files;
    }

    /// <summary>The SOP Instance UID of plane <paramref name="k"/> (derived from the series UID, so re-writing a series keeps its instances).</summary>
    public static string InstanceUid(CtSeriesIdentity identity, int k)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return ResultUidGenerator.Derive("ct-instance", identity.SeriesInstanceUid, k.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The file of plane <paramref name="k"/>, not yet saved.</summary>
    public static DicomFile Slice(Volume volume, int k, CtSeriesIdentity identity, CtAcquisition acquisition)
    {
        ArgumentNullException.ThrowIfNull(volume);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(acquisition);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(k, volume.Size.K);
        var geometry = volume.Geometry;
        var data = new DicomDataset();

        // SOP Common.
        data.SetStrings(DicomTag.SopClassUid, DicomVr.UI, SopClassUid);
        data.SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, InstanceUid(identity, k));
        data.SetStrings(DerivedTags.InstanceCreationDate, DicomVr.DA, Date(identity.AcquiredAt));
        data.SetStrings(DerivedTags.InstanceCreationTime, DicomVr.TM, Time(identity.AcquiredAt));
        data.SetStrings(DerivedTags.TimezoneOffsetFromUtc, DicomVr.SH, "+0000");

        // Patient, General Study.
        data.SetStrings(DicomTag.PatientName, DicomVr.PN, identity.PatientName);
        data.SetStrings(DerivedTags.PatientId, DicomVr.LO, identity.PatientId);
        data.SetStrings(DerivedTags.PatientBirthDate, DicomVr.DA, identity.PatientBirthDate);
        data.SetStrings(DerivedTags.PatientSex, DicomVr.CS, identity.PatientSex);
        data.SetStrings(DerivedTags.StudyInstanceUid, DicomVr.UI, identity.StudyInstanceUid);
        data.SetStrings(DerivedTags.StudyDate, DicomVr.DA, Date(identity.AcquiredAt));
        data.SetStrings(DerivedTags.StudyTime, DicomVr.TM, Time(identity.AcquiredAt));
        data.SetStrings(DerivedTags.ReferringPhysicianName, DicomVr.PN, "");
        data.SetStrings(DerivedTags.StudyId, DicomVr.SH, identity.StudyId);
        data.SetStrings(DerivedTags.AccessionNumber, DicomVr.SH, identity.AccessionNumber);
        data.SetStrings(DerivedTags.StudyDescription, DicomVr.LO, identity.StudyDescription);

        // General Series, Frame of Reference, General Equipment.
        data.SetStrings(DerivedTags.Modality, DicomVr.CS, "CT");
        data.SetStrings(DerivedTags.SeriesInstanceUid, DicomVr.UI, identity.SeriesInstanceUid);
        data.SetNumbers(DerivedTags.SeriesNumber, DicomVr.IS, identity.SeriesNumber);
        data.SetStrings(DerivedTags.SeriesDescription, DicomVr.LO, identity.SeriesDescription);
        data.SetStrings(DerivedTags.SeriesDate, DicomVr.DA, Date(identity.AcquiredAt));
        data.SetStrings(DerivedTags.SeriesTime, DicomVr.TM, Time(identity.AcquiredAt));
        data.SetStrings(CtImageTags.BodyPartExamined, DicomVr.CS, acquisition.BodyPartExamined);
        data.SetStrings(CtImageTags.PatientPosition, DicomVr.CS, acquisition.PatientPosition);
        data.SetStrings(DerivedTags.FrameOfReferenceUid, DicomVr.UI, identity.FrameOfReferenceUid);
        data.SetStrings(DerivedTags.PositionReferenceIndicator, DicomVr.LO, "");
        data.SetStrings(DerivedTags.Manufacturer, DicomVr.LO, acquisition.Manufacturer);
        data.SetStrings(DerivedTags.ManufacturerModelName, DicomVr.LO, acquisition.ModelName);
        data.SetStrings(CtImageTags.StationName, DicomVr.SH, acquisition.StationName);

        // General Acquisition, General Image.
        data.SetStrings(CtImageTags.AcquisitionDate, DicomVr.DA, Date(identity.AcquiredAt));
        data.SetStrings(CtImageTags.AcquisitionTime, DicomVr.TM, Time(identity.AcquiredAt));
        data.SetNumbers(CtImageTags.AcquisitionNumber, DicomVr.IS, 1);
        data.SetNumbers(DerivedTags.InstanceNumber, DicomVr.IS, k + 1);
        data.SetStrings(DerivedTags.ContentDate, DicomVr.DA, Date(identity.AcquiredAt));
        data.SetStrings(DerivedTags.ContentTime, DicomVr.TM, Time(identity.AcquiredAt));
        data.SetStrings(ImageTags.ImageType, DicomVr.CS, "ORIGINAL", "PRIMARY", "AXIAL");

        // Image Plane: rows run along j, columns along i; Pixel Spacing is (row spacing, column spacing).
        var position = geometry.IndexToPhysical(0, 0, k);
        var (iAxis, jAxis) = (geometry.Direction.IAxis, geometry.Direction.JAxis);
        data.SetStrings(ImageTags.ImagePositionPatient, DicomVr.DS, Decimal(position.X), Decimal(position.Y), Decimal(position.Z));
        data.SetStrings(ImageTags.ImageOrientationPatient, DicomVr.DS,
            Decimal(iAxis.X), Decimal(iAxis.Y), Decimal(iAxis.Z), Decimal(jAxis.X), Decimal(jAxis.Y), Decimal(jAxis.Z));
        data.SetStrings(ImageTags.PixelSpacing, DicomVr.DS, Decimal(geometry.Spacing.Y), Decimal(geometry.Spacing.X));
        data.SetStrings(DerivedTags.SliceThickness, DicomVr.DS, Decimal(geometry.Spacing.Z));
        data.SetStrings(DerivedTags.SpacingBetweenSlices, DicomVr.DS, Decimal(geometry.Spacing.Z));
        // Slice Location: the position along the plane normal, as scanners write it.
        data.SetStrings(CtImageTags.SliceLocation, DicomVr.DS, Decimal(iAxis.Cross(jAxis).Dot(position)));

        // CT Image (with Image Pixel): 16-bit unsigned, 12 stored.
        data.SetNumbers(ImageTags.SamplesPerPixel, DicomVr.US, 1);
        data.SetStrings(CtImageTags.PhotometricInterpretation, DicomVr.CS, "MONOCHROME2");
        data.SetNumbers(DicomTag.Rows, DicomVr.US, geometry.Size.J);
        data.SetNumbers(DicomTag.Columns, DicomVr.US, geometry.Size.I);
        data.SetNumbers(ImageTags.BitsAllocated, DicomVr.US, 16);
        data.SetNumbers(ImageTags.BitsStored, DicomVr.US, 12);
        data.SetNumbers(CtImageTags.HighBit, DicomVr.US, 11);
        data.SetNumbers(ImageTags.PixelRepresentation, DicomVr.US, 0);
        data.SetStrings(ImageTags.RescaleIntercept, DicomVr.DS, RescaleIntercept.ToString(CultureInfo.InvariantCulture));
        data.SetStrings(ImageTags.RescaleSlope, DicomVr.DS, "1");
        data.SetStrings(CtImageTags.RescaleType, DicomVr.LO, "HU");
        data.SetStrings(CtImageTags.Kvp, DicomVr.DS, Decimal(acquisition.Kvp));
        var fieldOfView = Math.Max(geometry.Size.I * geometry.Spacing.X, geometry.Size.J * geometry.Spacing.Y);
        data.SetStrings(CtImageTags.DataCollectionDiameter, DicomVr.DS, Decimal(Math.Ceiling(fieldOfView)));
        data.SetStrings(CtImageTags.ReconstructionDiameter, DicomVr.DS, Decimal(fieldOfView));
        data.SetNumbers(CtImageTags.ExposureTime, DicomVr.IS, acquisition.ExposureTime);
        data.SetNumbers(CtImageTags.XRayTubeCurrent, DicomVr.IS, acquisition.TubeCurrent);
        data.SetStrings(CtImageTags.ConvolutionKernel, DicomVr.SH, acquisition.ConvolutionKernel);
        if (acquisition.ContrastAgent.Length > 0)
        {
            data.SetStrings(CtImageTags.ContrastBolusAgent, DicomVr.LO, acquisition.ContrastAgent);
        }

        // VOI LUT.
        data.SetStrings(CtImageTags.WindowCenter, DicomVr.DS, Decimal(acquisition.WindowCenter));
        data.SetStrings(CtImageTags.WindowWidth, DicomVr.DS, Decimal(acquisition.WindowWidth));
        data.SetStrings(CtImageTags.WindowCenterWidthExplanation, DicomVr.LO, "SOFT TISSUE");

        data.SetBytes(DicomTag.PixelData, DicomVr.OW, Pixels(volume, k));
        return new DicomFile(data);
    }

    /// <summary>The stored value of <paramref name="hu"/>: rounded, shifted by the intercept, clamped to 12 bits.</summary>
    public static ushort StoredValue(float hu) =>
        float.IsNaN(hu) ? (ushort)0 : (ushort)Math.Clamp(Math.Round((double)hu, MidpointRounding.AwayFromZero) - RescaleIntercept, 0, MaxStored);

    private static byte[] Pixels(Volume volume, int k)
    {
        var plane = volume.Size.I * volume.Size.J;
        var bytes = new byte[plane * 2];
        var voxels = volume.Voxels.AsSpan(plane * k, plane);
        for (var n = 0; n < plane; n++)
        {
            var stored = StoredValue(voxels[n]);
            bytes[2 * n] = (byte)stored;
            bytes[(2 * n) + 1] = (byte)(stored >> 8);
        }

        return bytes;
    }

    // DS holds 16 characters: "R" round-trips doubles but can exceed that; 6 decimals of a millimetre are plenty.
    private static string Decimal(double value)
    {
        var text = Math.Round(value, 6).ToString("0.######", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HHmmss", CultureInfo.InvariantCulture);
}
