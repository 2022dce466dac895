namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Keeps the slices of the majority orientation and image size. Slices of a clearly different orientation (normals more
/// than 10° apart: localizers) are dropped and reported; slices tilted only slightly against the majority mean a
/// non-parallel stack and are refused.
/// </summary>
internal static class OrientationFilter
{
    private const double SameCosine = 1e-3;
    private static readonly double LocalizerCosine = Math.Cos(Math.PI / 18);

    /// <summary>The kept slices; dropped ones are added to <paramref name="issues"/>.</summary>
    /// <exception cref="DicomException">Slices of nearly (not exactly) the same orientation: the stack is not parallel.</exception>
    public static IReadOnlyList<SliceHeader> Filter(IReadOnlyList<SliceHeader> slices, List<SeriesIssue> issues)
    {
        var clusters = new List<List<SliceHeader>>();
        foreach (var slice in slices)
        {
            var cluster = clusters.Find(c => SameOrientation(c[0], slice));
            if (cluster is null)
            {
                clusters.Add([slice]);
            }
            else
            {
                cluster.Add(slice);
            }
        }

        var majority = clusters.OrderByDescending(c => c.Count).First();
        var reference = majority[0];
        foreach (var slice in clusters.Where(c => c != majority).SelectMany(c => c))
        {
            if (Math.Abs(slice.Normal.Dot(reference.Normal)) < LocalizerCosine)
            {
                issues.Add(new SeriesIssue(SeriesIssueKind.Localizer, $"orientation {slice.Row}\\{slice.Column} differs from the series' {reference.Row}\\{reference.Column}; dropped as a localizer", slice.Path));
                continue;
            }

            throw new DicomException(
                $"slices are not parallel: orientation {slice.Row}\\{slice.Column} against {reference.Row}\\{reference.Column} in {reference.Source}; expected one Image Orientation (Patient) for the whole series (variable-tilt or curved stacks are not supported)",
                slice.Path, Pixels.ImageTags.ImageOrientationPatient, null);
        }

        var sizes = majority.GroupBy(s => (s.Rows, s.Columns, s.RowSpacing, s.ColumnSpacing)).OrderByDescending(g => g.Count()).ToList();
        foreach (var slice in sizes.Skip(1).SelectMany(g => g))
        {
            var size = sizes[0].Key;
            issues.Add(new SeriesIssue(SeriesIssueKind.DifferentImageSize, $"{slice.Columns}x{slice.Rows} pixels of {slice.ColumnSpacing}x{slice.RowSpacing} mm differ from the series' {size.Columns}x{size.Rows} of {size.ColumnSpacing}x{size.RowSpacing} mm; dropped", slice.Path));
        }

        return [.. sizes[0]];
    }

    private static bool SameOrientation(SliceHeader a, SliceHeader b) =>
        MaxDifference(a.Row - b.Row) < SameCosine && MaxDifference(a.Column - b.Column) < SameCosine;

    private static double MaxDifference(Contracts.Imaging.Vector3D d) => Math.Max(Math.Abs(d.X), Math.Max(Math.Abs(d.Y), Math.Abs(d.Z)));
}
