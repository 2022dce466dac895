namespace MiM.Bundles.Imaging.Transforms.Grids;

/// <summary>
/// How to turn a grid into another by permuting and reversing its axes, without resampling: output axis 0 (i),
/// 1 (j) and 2 (k) each take one source axis, possibly reversed.
/// </summary>
/// <param name="SourceOfI">The source axis (0, 1, 2) that becomes output i.</param>
/// <param name="SourceOfJ">The source axis that becomes output j.</param>
/// <param name="SourceOfK">The source axis that becomes output k.</param>
/// <param name="FlipI">True when output i runs against its source axis.</param>
/// <param name="FlipJ">True when output j runs against its source axis.</param>
/// <param name="FlipK">True when output k runs against its source axis.</param>
public readonly record struct AxisMapping(int SourceOfI, int SourceOfJ, int SourceOfK, bool FlipI, bool FlipJ, bool FlipK)
{
    /// <summary>The mapping that moves nothing.</summary>
    public static AxisMapping Identity { get; } = new(0, 1, 2, false, false, false);

    /// <summary>True when nothing moves.</summary>
    public bool IsIdentity => SourceOfI == 0 && SourceOfJ == 1 && SourceOfK == 2 && !FlipI && !FlipJ && !FlipK;

    /// <summary>The source axis of output axis <paramref name="axis"/>.</summary>
    public int SourceOf(int axis) => axis switch
    {
        0 => SourceOfI,
        1 => SourceOfJ,
        2 => SourceOfK,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>Whether output axis <paramref name="axis"/> is reversed.</summary>
    public bool IsFlipped(int axis) => axis switch
    {
        0 => FlipI,
        1 => FlipJ,
        2 => FlipK,
        _ => throw new ArgumentOutOfRangeException(nameof(axis), axis, "Axis must be 0, 1 or 2."),
    };

    /// <summary>A mapping from per-axis arrays (index = output axis).</summary>
    public static AxisMapping From(IReadOnlyList<int> sourceOf, IReadOnlyList<bool> flip)
    {
        ArgumentNullException.ThrowIfNull(sourceOf);
        ArgumentNullException.ThrowIfNull(flip);
        return new AxisMapping(sourceOf[0], sourceOf[1], sourceOf[2], flip[0], flip[1], flip[2]);
    }
}
