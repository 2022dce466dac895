using System.Globalization;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Derived;

/// <summary>
/// The modules every derived object shares: SOP Common, Patient and General Study (copied from the source, re-encoded
/// in UTF-8; the character set is dropped again when all text is ASCII), General Series, General Equipment. Patient attributes are copied, never logged.
/// </summary>
internal static class CommonModules
{
    // Type 2 in Patient / General Study: written empty when the source lacks them.
    private static readonly (DicomTag Tag, DicomVr Vr)[] Required =
    [
        (DicomTag.PatientName, DicomVr.PN),
        (DerivedTags.PatientId, DicomVr.LO),
        (DerivedTags.PatientBirthDate, DicomVr.DA),
        (DerivedTags.PatientSex, DicomVr.CS),
        (DerivedTags.StudyDate, DicomVr.DA),
        (DerivedTags.StudyTime, DicomVr.TM),
        (DerivedTags.ReferringPhysicianName, DicomVr.PN),
        (DerivedTags.StudyId, DicomVr.SH),
        (DerivedTags.AccessionNumber, DicomVr.SH),
    ];

    // Type 3 (Patient, Patient Study, General Study): copied only when present.
    private static readonly (DicomTag Tag, DicomVr Vr)[] Optional =
    [
        (DerivedTags.IssuerOfPatientId, DicomVr.LO),
        (DerivedTags.PatientAge, DicomVr.AS),
        (DerivedTags.PatientSize, DicomVr.DS),
        (DerivedTags.PatientWeight, DicomVr.DS),
        (DerivedTags.StudyDescription, DicomVr.LO),
    ];

    /// <summary>Specific Character Set (UTF-8), SOP Class/Instance UID and instance creation date/time.</summary>
    public static void SopCommon(DicomDataset target, string sopClassUid, string sopInstanceUid, DateTimeOffset created)
    {
        // Set first: the text set afterwards is encoded with it.
        target.SetStrings(DicomTag.SpecificCharacterSet, DicomVr.CS, "ISO_IR 192");
        target.SetStrings(DicomTag.SopClassUid, DicomVr.UI, sopClassUid);
        target.SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, sopInstanceUid);
        target.SetStrings(DerivedTags.InstanceCreationDate, DicomVr.DA, Date(created));
        target.SetStrings(DerivedTags.InstanceCreationTime, DicomVr.TM, Time(created));
        // Dates and times are written in UTC; saying so keeps them unambiguous across sites.
        target.SetStrings(DerivedTags.TimezoneOffsetFromUtc, DicomVr.SH, "+0000");
    }

    /// <summary>
    /// Removes Specific Character Set when every text value is ASCII: the default repertoire then says the same, and
    /// some readers (PixelMed 2022) do not know the ISO_IR 192 term. Call once the data set is complete.
    /// </summary>
    public static void DropCharacterSetIfAscii(DicomDataset data)
    {
        if (IsAscii(data))
        {
            data.Remove(DicomTag.SpecificCharacterSet);
        }
    }

    /// <summary>Patient and General Study modules from the source header; the study is the source's.</summary>
    public static void PatientAndStudy(DicomDataset target, SourceSeries source)
    {
        foreach (var (tag, vr) in Required)
        {
            target.SetStrings(tag, vr, [.. source.Header.GetStrings(tag)]);
        }

        foreach (var (tag, vr) in Optional.Where(o => source.Header.Contains(o.Tag)))
        {
            target.SetStrings(tag, vr, [.. source.Header.GetStrings(tag)]);
        }

        target.SetStrings(DerivedTags.StudyInstanceUid, DicomVr.UI, source.StudyInstanceUid);
    }

    /// <summary>General Series (modality, UID, number, description, date/time) of the result's own series.</summary>
    public static void Series(DicomDataset target, string modality, string seriesInstanceUid, DerivedObjectOptions options, string description, DateTimeOffset created)
    {
        target.SetStrings(DerivedTags.Modality, DicomVr.CS, modality);
        target.SetStrings(DerivedTags.SeriesInstanceUid, DicomVr.UI, seriesInstanceUid);
        target.SetNumbers(DerivedTags.SeriesNumber, DicomVr.IS, options.SeriesNumber);
        target.SetStrings(DerivedTags.SeriesDescription, DicomVr.LO, Cut(options.SeriesDescription ?? description, 64));
        target.SetStrings(DerivedTags.SeriesDate, DicomVr.DA, Date(created));
        target.SetStrings(DerivedTags.SeriesTime, DicomVr.TM, Time(created));
    }

    /// <summary>General Equipment (and the Type 1 attributes of Enhanced General Equipment).</summary>
    public static void Equipment(DicomDataset target, DerivedObjectOptions options)
    {
        target.SetStrings(DerivedTags.Manufacturer, DicomVr.LO, Cut(options.Manufacturer, 64));
        target.SetStrings(DerivedTags.ManufacturerModelName, DicomVr.LO, Cut(options.ManufacturerModelName, 64));
        target.SetStrings(DerivedTags.DeviceSerialNumber, DicomVr.LO, Cut(options.DeviceSerialNumber, 64));
        target.SetStrings(DerivedTags.SoftwareVersions, DicomVr.LO, Cut(options.SoftwareVersionsOrDefault, 64));
    }

    /// <summary>Content Date and Content Time.</summary>
    public static void ContentDateTime(DicomDataset target, DateTimeOffset created)
    {
        target.SetStrings(DerivedTags.ContentDate, DicomVr.DA, Date(created));
        target.SetStrings(DerivedTags.ContentTime, DicomVr.TM, Time(created));
    }

    /// <summary>A reference item: Referenced SOP Class and Instance UIDs.</summary>
    public static DicomDataset Reference(SourceImage image)
    {
        var item = new DicomDataset();
        item.SetStrings(DerivedTags.ReferencedSopClassUid, DicomVr.UI, image.SopClassUid);
        item.SetStrings(DerivedTags.ReferencedSopInstanceUid, DicomVr.UI, image.SopInstanceUid);
        return item;
    }

    /// <summary>Text cut to a VR's maximum length (LO and SH values must fit; the full text goes to ST/UT elsewhere).</summary>
    public static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private static bool IsAscii(DicomDataset data)
    {
        foreach (var element in data)
        {
            switch (element)
            {
                case DicomValueElement value when DicomVrInfo.UsesCharacterSet(value.Vr) && !System.Text.Ascii.IsValid(value.Buffer.GetBytes()):
                    return false;
                case DicomSequence sequence when !sequence.Items.All(IsAscii):
                    return false;
            }
        }

        return true;
    }

    private static string Date(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("HHmmss.ffffff", CultureInfo.InvariantCulture);
}
