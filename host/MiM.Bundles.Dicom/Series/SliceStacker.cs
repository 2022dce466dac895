namespace MiM.Bundles.Dicom.Series;

/// <summary>
/// Sorts parallel slices by position along the normal (IPP · (row × column)), drops duplicates, refuses positions off
/// the normal (gantry tilt), measures the slice spacing and places each slice on a plane index, reporting gaps and
/// uneven steps.
/// </summary>
internal static class SliceStacker
{
    private const double DuplicateMm = 0.01;
    private const double UnevenFraction = 0.01;
    private const double DefaultSpacing = 1.0;

    /// <summary>Stacks <paramref name="slices"/> (one orientation); findings go to <paramref name="issues"/>.</summary>
    /// <exception cref="DicomException">A slice lies off the normal through the first one (gantry tilt or shear).</exception>
    public static SliceStack Stack(IReadOnlyList<SliceHeader> slices, List<SeriesIssue> issues)
    {
        var normal = slices[0].Normal;
        var sorted = slices.OrderBy(s => s.Position.Dot(normal)).ThenBy(s => s.InstanceNumber).ThenBy(s => s.Path, StringComparer.Ordinal).ThenBy(s => s.Frame).ToList();
        var kept = new List<SliceHeader> { sorted[0] };
        foreach (var slice in sorted.Skip(1))
        {
            var previous = kept[^1];
            if (Math.Abs((slice.Position - previous.Position).Dot(normal)) < DuplicateMm)
            {
                issues.Add(new SeriesIssue(SeriesIssueKind.Duplicate, $"same position along the normal as {previous.Source}; dropped", slice.Path));
                continue;
            }

            kept.Add(slice);
        }

        RefuseTilt(kept, normal);
        if (kept.Count == 1)
        {
            var assumed = kept[0].SliceThickness is > 0 ? kept[0].SliceThickness!.Value : DefaultSpacing;
            issues.Add(new SeriesIssue(SeriesIssueKind.AssumedSpacing, $"one slice: slice spacing taken as {assumed} mm ({(kept[0].SliceThickness is > 0 ? "Slice Thickness" : "nothing in the header; assumed")})", kept[0].Path));
            return new SliceStack(kept, [0], assumed);
        }

        var steps = kept.Zip(kept.Skip(1), (a, b) => (b.Position - a.Position).Dot(normal)).ToList();
        var typical = steps.Order().ElementAt(steps.Count / 2);
        var indices = new List<int> { 0 };
        for (var s = 0; s < steps.Count; s++)
        {
            var multiple = Math.Max(1, (int)Math.Round(steps[s] / typical));
            if (Math.Abs(steps[s] - (multiple * typical)) > UnevenFraction * typical)
            {
                issues.Add(new SeriesIssue(SeriesIssueKind.NonUniformSpacing, $"step of {steps[s]:0.###} mm from {kept[s].Source} is more than 1% off the series' {typical:0.###} mm", kept[s + 1].Path));
            }

            if (multiple > 1)
            {
                issues.Add(new SeriesIssue(SeriesIssueKind.MissingSlices, $"{multiple - 1} slice(s) missing between {kept[s].Source} and this file ({steps[s]:0.###} mm apart, spacing {typical:0.###} mm); filled by linear interpolation", kept[s + 1].Path));
            }

            indices.Add(indices[^1] + multiple);
        }

        if (indices[^1] + 1 > 2 * kept.Count)
        {
            throw new DicomException(
                $"{kept.Count} slices spread over {indices[^1] + 1} planes of {typical:0.###} mm from {kept[0].Source} to {kept[^1].Source}; expected at most half of the slices missing (are two stacks sharing one Series Instance UID?)",
                kept[^1].Path, Pixels.ImageTags.ImagePositionPatient, null);
        }

        var spacing = (kept[^1].Position - kept[0].Position).Dot(normal) / indices[^1];
        return new SliceStack(kept, indices, spacing);
    }

    private static void RefuseTilt(List<SliceHeader> slices, Contracts.Imaging.Vector3D normal)
    {
        var first = slices[0];
        foreach (var slice in slices.Skip(1))
        {
            var offset = slice.Position - first.Position;
            var across = offset - (normal * offset.Dot(normal));
            var tolerance = Math.Max(0.01, 0.001 * offset.Length);
            if (across.Length > tolerance)
            {
                throw new DicomException(
                    $"slice lies {across.Length:0.###} mm off the normal through {first.Source} (offset {across} across row × column): gantry tilt or sheared stack, which is not supported; expected Image Position (Patient) to step along the slice normal",
                    slice.Path, Pixels.ImageTags.ImagePositionPatient, null);
            }
        }
    }
}
