using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>The segments of a phantom's label map, coded in SNOMED CT as DICOM PS3.16 (CID 7140, CID 4031) codes them.</summary>
public static class PhantomLabels
{
    /// <summary>Label value of the liver.</summary>
    public const ushort Liver = 1;

    /// <summary>Label value of the spleen.</summary>
    public const ushort Spleen = 2;

    /// <summary>Label value of the right kidney (patient's right: negative x in LPS).</summary>
    public const ushort KidneyRight = 3;

    /// <summary>Label value of the left kidney.</summary>
    public const ushort KidneyLeft = 4;

    /// <summary>Label value of the aorta.</summary>
    public const ushort Aorta = 5;

    /// <summary>Label value of the right lung.</summary>
    public const ushort LungRight = 6;

    /// <summary>Label value of the left lung.</summary>
    public const ushort LungLeft = 7;

    /// <summary>Label value of the vertebral column: vertebral bodies, discs and posterior elements.</summary>
    public const ushort Spine = 8;

    /// <summary>Label value of the ribs.</summary>
    public const ushort Ribs = 9;

    /// <summary>
    /// Label value of a liver lesion (only in cases generated with lesions). Lesion voxels lie inside the liver and are
    /// labelled 10 instead of 1, so the liver as a whole is the union of labels 1 and 10.
    /// </summary>
    public const ushort LiverLesion = 10;

    /// <summary>The segment category every phantom label shares.</summary>
    public static CodedConcept AnatomicalStructure { get; } = CodedConcept.Snomed("123037004", "Anatomical Structure");

    /// <summary>Every label, in value order (1..9; 0 is background and not listed).</summary>
    public static IReadOnlyList<SegmentDescription> All { get; } =
    [
        Segment(Liver, "liver", "10200004", "Liver", new RgbColour(221, 130, 101)),
        Segment(Spleen, "spleen", "78961009", "Spleen", new RgbColour(157, 108, 162)),
        Segment(KidneyRight, "kidney_right", "9846003", "Right kidney", new RgbColour(185, 102, 83)),
        Segment(KidneyLeft, "kidney_left", "18639004", "Left kidney", new RgbColour(212, 126, 151)),
        Segment(Aorta, "aorta", "15825003", "Aorta", new RgbColour(224, 97, 76)),
        Segment(LungRight, "lung_right", "3341006", "Right lung", new RgbColour(128, 174, 128)),
        Segment(LungLeft, "lung_left", "44029006", "Left lung", new RgbColour(111, 184, 210)),
        Segment(Spine, "spine", "421060004", "Spine", new RgbColour(241, 214, 145)),
        Segment(Ribs, "ribs", "113197003", "Rib", new RgbColour(253, 232, 158)),
    ];

    /// <summary>The category of the lesion segment.</summary>
    public static CodedConcept MorphologicallyAlteredStructure { get; } = CodedConcept.Snomed("49755003", "Morphologically Altered Structure");

    /// <summary>The liver lesion segment (value <see cref="LiverLesion"/>), coded as DICOM PS3.16 codes a lesion.</summary>
    public static SegmentDescription Lesion { get; } = new(
        LiverLesion, "liver_lesion", MorphologicallyAlteredStructure, CodedConcept.Snomed("52988006", "Lesion"), new RgbColour(255, 64, 64));

    /// <summary>The labels of a data set generated with lesions: <see cref="All"/> then <see cref="Lesion"/>.</summary>
    public static IReadOnlyList<SegmentDescription> WithLesions { get; } = [.. All, Lesion];

    private static SegmentDescription Segment(ushort value, string name, string code, string meaning, RgbColour colour) =>
        new(value, name, AnatomicalStructure, CodedConcept.Snomed(code, meaning), colour);
}
