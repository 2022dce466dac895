namespace MiM.Bundles.Dicom.Series;

/// <summary>Slices sorted along the normal, each with its plane index k, and the spacing between planes.</summary>
/// <param name="Slices">Sorted slices; duplicates removed.</param>
/// <param name="PlaneIndices">The k of each slice; gaps where slices are missing.</param>
/// <param name="SliceSpacing">Distance between neighbouring planes in millimetres.</param>
internal sealed record SliceStack(IReadOnlyList<SliceHeader> Slices, IReadOnlyList<int> PlaneIndices, double SliceSpacing)
{
    /// <summary>Number of planes, missing ones included.</summary>
    public int PlaneCount => PlaneIndices[^1] + 1;
}
