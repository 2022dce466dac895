namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// Marks a transform that draws on its random stream. Everything before the first one in a pipeline is deterministic,
/// so its result can be computed once per case and cached (<see cref="TransformPipeline.Prepare"/>), as MONAI's
/// CacheDataset does.
/// </summary>
public interface IRandomTransform : ISampleTransform;
