using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Transforms;

/// <summary>
/// A case after a pipeline's deterministic prefix (everything before its first random transform): worth keeping in memory
/// between training steps, so each step runs only the random rest. Made by <see cref="TransformPipeline.Prepare"/>.
/// </summary>
public sealed class PreparedSample
{
    internal PreparedSample(TransformPipeline pipeline, IReadOnlyList<TransformSample> samples, VolumeGeometry originalGeometry)
    {
        Pipeline = pipeline;
        Samples = samples;
        OriginalGeometry = originalGeometry;
    }

    /// <summary>The samples after the prefix (one, unless the prefix itself splits samples).</summary>
    public IReadOnlyList<TransformSample> Samples { get; }

    /// <summary>The grid the case was loaded on; inverses lead back to it.</summary>
    public VolumeGeometry OriginalGeometry { get; }

    /// <summary>The pipeline whose prefix made this, and whose rest may continue it.</summary>
    internal TransformPipeline Pipeline { get; }
}
