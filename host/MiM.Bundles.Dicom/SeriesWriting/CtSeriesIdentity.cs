using MiM.Bundles.Dicom.Uids;

namespace MiM.Bundles.Dicom.SeriesWriting;

/// <summary>
/// Who and what a written CT series belongs to: patient, study, series and frame of reference. Everything a PACS uses to
/// file the series, so that a result sent back for it lands in the same study.
/// </summary>
/// <param name="PatientName">Patient's Name (PN, e.g. <c>PHANTOM^0042</c>); synthetic data only, never logged.</param>
/// <param name="PatientId">Patient ID.</param>
/// <param name="StudyInstanceUid">Study Instance UID.</param>
/// <param name="SeriesInstanceUid">Series Instance UID.</param>
/// <param name="FrameOfReferenceUid">Frame of Reference UID.</param>
/// <param name="AcquiredAt">Study, series, acquisition and content date/time (written in UTC).</param>
public sealed record CtSeriesIdentity(
    string PatientName,
    string PatientId,
    string StudyInstanceUid,
    string SeriesInstanceUid,
    string FrameOfReferenceUid,
    DateTimeOffset AcquiredAt)
{
    /// <summary>Study Description (LO).</summary>
    public string StudyDescription { get; init; } = "CT ABDOMEN";

    /// <summary>Series Description (LO).</summary>
    public string SeriesDescription { get; init; } = "Abdomen 1.0 B30f";

    /// <summary>Accession Number (SH).</summary>
    public string AccessionNumber { get; init; } = "";

    /// <summary>Study ID (SH).</summary>
    public string StudyId { get; init; } = "1";

    /// <summary>Series Number.</summary>
    public int SeriesNumber { get; init; } = 2;

    /// <summary>Patient's Sex (M, F, O or empty).</summary>
    public string PatientSex { get; init; } = "O";

    /// <summary>Patient's Birth Date (DA, may be empty).</summary>
    public string PatientBirthDate { get; init; } = "";

    /// <summary>
    /// An identity whose UIDs are derived from <paramref name="key"/> alone (SHA-256 "2.25." UIDs), so the same key always
    /// names the same study and series: a synthetic case sent twice is stored once.
    /// </summary>
    /// <param name="key">What makes the series unique, e.g. <c>mim-phantom/seed 42/size 128/lesions 1</c>.</param>
    /// <param name="patientName">Patient's Name.</param>
    /// <param name="patientId">Patient ID.</param>
    /// <param name="acquiredAt">Date and time written into the study and series.</param>
    public static CtSeriesIdentity Derived(string key, string patientName, string patientId, DateTimeOffset acquiredAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return new CtSeriesIdentity(
            patientName,
            patientId,
            ResultUidGenerator.Derive("ct-study", key),
            ResultUidGenerator.Derive("ct-series", key),
            ResultUidGenerator.Derive("ct-frame-of-reference", key),
            acquiredAt)
        {
            // SH holds 16 characters: the first digits of a derived UID's number are as unique as a site's counter.
            AccessionNumber = Digits(ResultUidGenerator.Derive("ct-accession", key)),
        };
    }

    private static string Digits(string uid)
    {
        var digits = uid["2.25.".Length..];
        return digits.Length <= 16 ? digits : digits[..16];
    }
}
