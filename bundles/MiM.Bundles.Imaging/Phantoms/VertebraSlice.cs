namespace MiM.Bundles.Imaging.Phantoms;

/// <summary>The vertebral column in one axial slice (anatomy-frame mm).</summary>
/// <param name="X">Centre of the vertebral body, left-right.</param>
/// <param name="Y">Centre of the vertebral body, anterior-posterior.</param>
/// <param name="HalfWidth">Vertebral body half-width.</param>
/// <param name="HalfDepth">Vertebral body half-depth.</param>
/// <param name="CanalY">Centre of the spinal canal (same x as the body).</param>
/// <param name="CanalRadius">Radius of the spinal canal.</param>
/// <param name="SpinousLength">Length of the spinous process behind the canal.</param>
/// <param name="TransverseLength">Reach of the transverse processes beyond the canal.</param>
/// <param name="InDisc">True when the slice cuts an intervertebral disc.</param>
/// <param name="EndplateDistance">Distance to the nearer endplate (0 in a disc).</param>
/// <param name="HasPosteriorElements">True when the slice cuts the neural arch.</param>
internal sealed record VertebraSlice(
    double X,
    double Y,
    double HalfWidth,
    double HalfDepth,
    double CanalY,
    double CanalRadius,
    double SpinousLength,
    double TransverseLength,
    bool InDisc,
    double EndplateDistance,
    bool HasPosteriorElements);
