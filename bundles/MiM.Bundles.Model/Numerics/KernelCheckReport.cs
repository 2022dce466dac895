namespace MiM.Bundles.Model.Numerics;

/// <summary>The outcome of the start-up self-check: every check, and the path chosen for each convolution kind.</summary>
/// <param name="Checks">Every check in the order it ran.</param>
/// <param name="Paths">The path chosen per kind; a kind without a right path is missing.</param>
/// <param name="Elapsed">Time the self-check took.</param>
public sealed record KernelCheckReport(
    IReadOnlyList<KernelCheck> Checks, IReadOnlyDictionary<ConvolutionKind, ConvolutionPath> Paths, TimeSpan Elapsed)
{
    /// <summary>True when every kind has a path whose checks all passed.</summary>
    public bool Passed => Enum.GetValues<ConvolutionKind>().All(Paths.ContainsKey);

    /// <summary>Checks that failed (including those of a path that was then not chosen).</summary>
    public IEnumerable<KernelCheck> Failures => Checks.Where(c => !c.Passed);

    /// <summary>True when <paramref name="kind"/> has a path whose checks all passed.</summary>
    public bool HasRightPath(ConvolutionKind kind) => Paths.ContainsKey(kind);
}
