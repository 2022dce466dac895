namespace MiM.Bundles.Imaging.Transforms;

/// <summary>One step of a pipeline, named as in MONAI.</summary>
public interface ISampleTransform
{
    /// <summary>The MONAI name ("Spacing", "RandFlip", ...).</summary>
    string Name { get; }

    /// <summary>
    /// Transforms <paramref name="sample"/> into one sample, or several (RandCropByPosNegLabel). The input is not changed.
    /// Spatial transforms must keep each voxel's physical position in the output geometry: inversion relies on it.
    /// </summary>
    IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformContext context);
}
