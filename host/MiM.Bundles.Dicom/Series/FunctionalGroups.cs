using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Looks up a functional group macro of an enhanced multi-frame image (PS3.3 C.7.6.16): the frame's item of the
/// Per-frame Functional Groups Sequence first, then the Shared Functional Groups Sequence.
/// </summary>
internal static class FunctionalGroups
{
    public static readonly DicomTag Shared = new(0x5200, 0x9229);
    public static readonly DicomTag PerFrame = new(0x5200, 0x9230);
    public static readonly DicomTag PixelMeasures = new(0x0028, 0x9110);
    public static readonly DicomTag PlanePosition = new(0x0020, 0x9113);
    public static readonly DicomTag PlaneOrientation = new(0x0020, 0x9116);
    public static readonly DicomTag PixelValueTransformation = new(0x0028, 0x9145);

    /// <summary>True when the data set has functional groups (an enhanced image).</summary>
    public static bool IsEnhanced(DicomDataset dataset) => dataset.Contains(Shared) || dataset.Contains(PerFrame);

    /// <summary>The first item of <paramref name="macro"/> for frame <paramref name="frame"/>, or null when neither group has it.</summary>
    public static DicomDataset? Find(DicomDataset dataset, int frame, DicomTag macro)
    {
        var perFrame = dataset.GetItems(PerFrame);
        if (frame < perFrame.Count && perFrame[frame].GetItems(macro) is [var own, ..])
        {
            return own;
        }

        return dataset.GetItems(Shared) is [var shared, ..] && shared.GetItems(macro) is [var item, ..] ? item : null;
    }
}
