namespace MiM.Bundles.Contracts.Results;

/// <summary>What one value of a label map means: what a DICOM-SEG segment and a dataset.json label say.</summary>
/// <param name="Value">The label value in the label map (1..65535; 0 is background).</param>
/// <param name="Name">Short name, for example "liver".</param>
/// <param name="Category">Segmented property category, for example SCT 123037004 "Anatomical Structure".</param>
/// <param name="Type">Segmented property type, for example SCT 10200004 "Liver".</param>
/// <param name="Colour">Recommended display colour.</param>
public sealed record SegmentDescription(
    ushort Value,
    string Name,
    CodedConcept Category,
    CodedConcept Type,
    RgbColour Colour);
