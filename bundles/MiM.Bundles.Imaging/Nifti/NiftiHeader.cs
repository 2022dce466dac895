namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// The fields of a NIfTI-1 header that geometry and voxel decoding use, as stored in the file
/// (no validation, no scaling applied). Arrays have the standard's lengths: <see cref="Dim"/> and
/// <see cref="PixDim"/> 8, the srow arrays 4.
/// </summary>
public sealed class NiftiHeader
{
    /// <summary>The header size the standard fixes for NIfTI-1.</summary>
    public const int HeaderSize = 348;

    /// <summary>The smallest vox_offset of a single-file (.nii) image: header plus the 4 extension bytes.</summary>
    public const int MinimumSingleFileVoxOffset = 352;

    /// <summary>True when the file was written big-endian.</summary>
    public bool IsBigEndian { get; set; }

    /// <summary>dim[0] is the number of dimensions, dim[1..7] the size along each.</summary>
    public short[] Dim { get; set; } = new short[8];

    /// <summary>The datatype code (see <see cref="NiftiDataType"/>; others exist in the standard).</summary>
    public short DataTypeCode { get; set; }

    /// <summary>Bits per voxel.</summary>
    public short BitPix { get; set; }

    /// <summary>pixdim[0] is qfac (±1), pixdim[1..3] the voxel spacing.</summary>
    public float[] PixDim { get; set; } = new float[8];

    /// <summary>Byte offset of the voxel data in the .nii file.</summary>
    public float VoxOffset { get; set; }

    /// <summary>Voxel scaling slope; 0 or not finite means no scaling.</summary>
    public float SclSlope { get; set; }

    /// <summary>Voxel scaling intercept, used only with a valid slope.</summary>
    public float SclInter { get; set; }

    /// <summary>Spatial and temporal units (2 = millimetres).</summary>
    public byte XyztUnits { get; set; }

    /// <summary>Free-text description (up to 79 ASCII characters).</summary>
    public string Description { get; set; } = string.Empty;

    /// <summary>qform_code: 0 means the quaternion fields are unused.</summary>
    public short QformCode { get; set; }

    /// <summary>sform_code: 0 means the srow fields are unused.</summary>
    public short SformCode { get; set; }

    /// <summary>Quaternion b parameter.</summary>
    public float QuaternB { get; set; }

    /// <summary>Quaternion c parameter.</summary>
    public float QuaternC { get; set; }

    /// <summary>Quaternion d parameter.</summary>
    public float QuaternD { get; set; }

    /// <summary>qform translation x (RAS mm).</summary>
    public float QOffsetX { get; set; }

    /// <summary>qform translation y (RAS mm).</summary>
    public float QOffsetY { get; set; }

    /// <summary>qform translation z (RAS mm).</summary>
    public float QOffsetZ { get; set; }

    /// <summary>First row of the sform affine (RAS x).</summary>
    public float[] SRowX { get; set; } = new float[4];

    /// <summary>Second row of the sform affine (RAS y).</summary>
    public float[] SRowY { get; set; } = new float[4];

    /// <summary>Third row of the sform affine (RAS z).</summary>
    public float[] SRowZ { get; set; } = new float[4];

    /// <summary>The magic string without its NUL: "n+1" for a single file, "ni1" for a .hdr/.img pair.</summary>
    public string Magic { get; set; } = string.Empty;
}
