namespace MiM.Bundles.Imaging.Nifti;

/// <summary>The NIfTI-1 voxel data types this project reads and writes; the values are the standard's datatype codes.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1720:Identifier contains type name", Justification = "The names are NIfTI's own (DT_INT16, DT_FLOAT32, ...).")]
public enum NiftiDataType
{
    /// <summary>Unsigned 8-bit integer (DT_UINT8).</summary>
    UInt8 = 2,

    /// <summary>Signed 16-bit integer (DT_INT16).</summary>
    Int16 = 4,

    /// <summary>Signed 32-bit integer (DT_INT32).</summary>
    Int32 = 8,

    /// <summary>32-bit IEEE float (DT_FLOAT32).</summary>
    Float32 = 16,

    /// <summary>64-bit IEEE float (DT_FLOAT64).</summary>
    Float64 = 64,

    /// <summary>Unsigned 16-bit integer (DT_UINT16).</summary>
    UInt16 = 512,
}
