namespace MiM.Bundles.Imaging.Nifti;

/// <summary>What the project knows about NIfTI-1 datatype codes: sizes of the supported ones, names of all standard ones.</summary>
internal static class NiftiDataTypes
{
    /// <summary>True when <paramref name="code"/> is one of the <see cref="NiftiDataType"/> values.</summary>
    public static bool IsSupported(short code) => Enum.IsDefined((NiftiDataType)code);

    /// <summary>Bytes per voxel of a supported type.</summary>
    public static int SizeOf(NiftiDataType type) => type switch
    {
        NiftiDataType.UInt8 => 1,
        NiftiDataType.Int16 or NiftiDataType.UInt16 => 2,
        NiftiDataType.Int32 or NiftiDataType.Float32 => 4,
        NiftiDataType.Float64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Not a supported NIfTI data type."),
    };

    /// <summary>The standard's name and code, e.g. "RGB24 (128)", so an error says what the file holds.</summary>
    public static string Describe(short code)
    {
        var name = code switch
        {
            0 => "UNKNOWN",
            1 => "BINARY",
            2 => "UINT8",
            4 => "INT16",
            8 => "INT32",
            16 => "FLOAT32",
            32 => "COMPLEX64",
            64 => "FLOAT64",
            128 => "RGB24",
            256 => "INT8",
            512 => "UINT16",
            768 => "UINT32",
            1024 => "INT64",
            1280 => "UINT64",
            1536 => "FLOAT128",
            1792 => "COMPLEX128",
            2048 => "COMPLEX256",
            2304 => "RGBA32",
            _ => null,
        };
        return name is null ? $"unknown datatype code {code}" : $"{name} ({code})";
    }
}
