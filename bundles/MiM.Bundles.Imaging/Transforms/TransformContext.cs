namespace MiM.Bundles.Imaging.Transforms;

/// <summary>What a transform may draw on besides its sample: its own random stream and the parallelism allowed.</summary>
/// <param name="Random">The stream of this (seed, sample index, transform index, branch); deterministic transforms ignore it.</param>
/// <param name="Parallel">How many threads kernels may use; results never depend on it.</param>
public sealed record TransformContext(TransformRandom Random, ParallelOptions Parallel);
