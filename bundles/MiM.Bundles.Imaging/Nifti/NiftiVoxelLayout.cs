using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>Where the voxels of a single-file NIfTI-1 image lie and how they are stored, checked against the header's rules.</summary>
/// <param name="Size">The 3-D grid size (2-D images have one slice).</param>
/// <param name="DataType">How each voxel is stored.</param>
/// <param name="DataOffset">Byte offset of the first voxel (vox_offset).</param>
internal sealed record NiftiVoxelLayout(GridSize Size, NiftiDataType DataType, long DataOffset)
{
    /// <summary>The number of bytes the voxels occupy.</summary>
    public long DataLength => Size.VoxelCount * NiftiDataTypes.SizeOf(DataType);

    /// <summary>Checks magic, dimensions, data type and vox_offset, and derives the layout.</summary>
    /// <exception cref="NiftiFormatException">Any of them is unusable; the message says which and why.</exception>
    public static NiftiVoxelLayout FromHeader(NiftiHeader header, string path)
    {
        ArgumentNullException.ThrowIfNull(header);
        CheckMagic(header.Magic, path);
        var size = ReadSize(header.Dim, path);
        var dataType = ReadDataType(header, path);

        var voxOffset = header.VoxOffset;
        if (!(voxOffset >= NiftiHeader.MinimumSingleFileVoxOffset) || voxOffset != Math.Floor(voxOffset) || voxOffset > int.MaxValue)
        {
            throw new NiftiFormatException(
                path, $"vox_offset {voxOffset} is invalid: a single-file NIfTI-1 image needs a whole number of at least {NiftiHeader.MinimumSingleFileVoxOffset}");
        }

        return new NiftiVoxelLayout(size, dataType, (long)voxOffset);
    }

    private static void CheckMagic(string magic, string path)
    {
        if (magic == "ni1")
        {
            throw new NiftiFormatException(
                path, "this is the header of a NIfTI-1 pair (.hdr/.img, magic \"ni1\"); only single-file .nii/.nii.gz images are supported");
        }

        if (magic != "n+1")
        {
            throw new NiftiFormatException(path, $"wrong magic \"{magic}\": a single-file NIfTI-1 image has \"n+1\" (Analyze 7.5 is not supported)");
        }
    }

    private static GridSize ReadSize(short[] dim, string path)
    {
        var rank = dim[0];
        if (rank < 1 || rank > 7)
        {
            throw new NiftiFormatException(path, $"dim[0] is {rank}, but the number of dimensions must be 1 to 7");
        }

        for (var n = 1; n <= rank; n++)
        {
            if (dim[n] < 1)
            {
                throw new NiftiFormatException(path, $"inconsistent dimensions: dim[{n}] is {dim[n]} but dim[0] = {rank} says it is used, so it must be at least 1");
            }
        }

        // Dimensions beyond dim[0] are unused and read as 1, whatever the file holds there.
        long volumes = 1;
        for (var n = 4; n <= rank; n++)
        {
            volumes *= dim[n];
        }

        if (volumes > 1)
        {
            throw new NiftiFormatException(path, $"4-D NIfTI with {volumes} volumes is not supported; split it first (e.g. fslsplit)");
        }

        return new GridSize(dim[1], rank >= 2 ? dim[2] : 1, rank >= 3 ? dim[3] : 1);
    }

    private static NiftiDataType ReadDataType(NiftiHeader header, string path)
    {
        if (!NiftiDataTypes.IsSupported(header.DataTypeCode))
        {
            throw new NiftiFormatException(
                path, $"unsupported datatype {NiftiDataTypes.Describe(header.DataTypeCode)}; supported: UINT8, INT16, UINT16, INT32, FLOAT32, FLOAT64");
        }

        // bitpix is not checked: the datatype alone fixes the voxel size, and some writers get bitpix wrong.
        return (NiftiDataType)header.DataTypeCode;
    }
}
