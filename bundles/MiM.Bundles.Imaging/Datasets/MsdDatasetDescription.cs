using MiM.Bundles.Contracts.Results;

namespace MiM.Bundles.Imaging.Datasets;

/// <summary>One training case of an MSD/MONAI data set: image and label paths relative to the data set folder.</summary>
/// <param name="Image">For example "./imagesTr/phantom_0001.nii.gz".</param>
/// <param name="Label">For example "./labelsTr/phantom_0001.nii.gz".</param>
public sealed record MsdCase(string Image, string Label)
{
    /// <summary>
    /// Per-case integer labels written as extra fields of the entry (for example <c>"lesion": 1</c>), in the order given;
    /// what each key means is in <see cref="MsdDatasetDescription.CaseLabels"/>. Empty for a plain segmentation entry.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, int>> CaseLabels { get; init; } = [];
}

/// <summary>
/// The content of an MSD-style <c>dataset.json</c>, the layout MONAI's <c>load_decathlon_datalist</c>
/// and nnU-Net read. Segment codes are kept beside the plain label names so DICOM-SEG writing needs no other file.
/// </summary>
/// <param name="Name">Data set name.</param>
/// <param name="Description">What the data are and how they were made.</param>
/// <param name="Modality">For example "CT".</param>
/// <param name="Segments">The labels (background 0 is implied).</param>
/// <param name="Training">The cases.</param>
public sealed record MsdDatasetDescription(
    string Name,
    string Description,
    string Modality,
    IReadOnlyList<SegmentDescription> Segments,
    IReadOnlyList<MsdCase> Training)
{
    /// <summary>
    /// The meaning of each per-case label key the entries carry (<see cref="MsdCase.CaseLabels"/>), written as the top-level
    /// <c>caseLabels</c> object; empty = no per-case labels and no <c>caseLabels</c> field.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> CaseLabels { get; init; } = [];
}
