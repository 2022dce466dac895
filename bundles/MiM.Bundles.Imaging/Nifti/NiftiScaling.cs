namespace MiM.Bundles.Imaging.Nifti;

/// <summary>The scl_slope/scl_inter mapping from stored to real voxel values.</summary>
internal readonly record struct NiftiScaling(double Slope, double Intercept)
{
    /// <summary>Stored values are the real values.</summary>
    public static NiftiScaling None { get; } = new(1, 0);

    /// <summary>True when applying the scaling changes nothing.</summary>
    public bool IsIdentity => Slope == 1 && Intercept == 0;

    /// <summary>
    /// The header's scaling; per the standard a slope of 0 (or, as nibabel also reads it, a NaN or infinite slope)
    /// means none. A non-finite intercept with a valid slope is read as 0.
    /// </summary>
    public static NiftiScaling FromHeader(NiftiHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.SclSlope == 0 || !float.IsFinite(header.SclSlope))
        {
            return None;
        }

        return new NiftiScaling(header.SclSlope, float.IsFinite(header.SclInter) ? header.SclInter : 0);
    }

    /// <summary>The real value of a stored one.</summary>
    public double Apply(double stored) => (stored * Slope) + Intercept;
}
