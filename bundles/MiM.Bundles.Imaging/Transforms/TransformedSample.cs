namespace MiM.Bundles.Imaging.Transforms;

/// <summary>A pipeline's output sample and the inverse that takes results on its grid back to the original grid.</summary>
/// <param name="Sample">The transformed image and label map.</param>
/// <param name="Inverse">The way back to the grid the sample was loaded on.</param>
public sealed record TransformedSample(TransformSample Sample, TransformInverse Inverse);
