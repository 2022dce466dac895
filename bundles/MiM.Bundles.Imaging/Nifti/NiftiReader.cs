using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Imaging.Nifti;

/// <summary>
/// Reads single-file NIfTI-1 images (.nii, .nii.gz; either byte order) into LPS volumes and label maps.
/// Geometry comes from the sform, else the qform, else pixdim alone; scl_slope/scl_inter are applied.
/// </summary>
public static class NiftiReader
{
    /// <summary>Reads an intensity volume; stored values are scaled and converted to float.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="NiftiFormatException">The file is not a NIfTI-1 image this reader supports; the message says why.</exception>
    public static Volume ReadVolume(string path)
    {
        var image = Load(path);
        var voxels = NiftiVoxelDecoder.DecodeVolume(image.Data, image.Layout.DataType, image.Header.IsBigEndian, NiftiScaling.FromHeader(image.Header));
        return new Volume(image.Geometry, voxels);
    }

    /// <summary>Reads a label map; every scaled voxel value must be a whole number from 0 to 65535.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="NiftiFormatException">The file is not a supported NIfTI-1 image or holds a value that is not a label.</exception>
    public static LabelMap ReadLabelMap(string path)
    {
        var image = Load(path);
        var labels = NiftiVoxelDecoder.DecodeLabels(
            image.Data, image.Layout.DataType, image.Header.IsBigEndian, NiftiScaling.FromHeader(image.Header), image.Layout.Size, path);
        return new LabelMap(image.Geometry, labels);
    }

    /// <summary>Reads only the header (decompressing just its bytes), as stored, without validating it.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="NiftiFormatException">The header is truncated, has the wrong size field, or the gzip stream is corrupt.</exception>
    public static NiftiHeader ReadHeader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return NiftiHeaderCodec.Decode(NiftiFileLoader.Load(path, NiftiHeader.HeaderSize), path);
    }

    private static LoadedImage Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var content = NiftiFileLoader.Load(path);
        var header = NiftiHeaderCodec.Decode(content, path);
        var layout = NiftiVoxelLayout.FromHeader(header, path);
        var end = layout.DataOffset + layout.DataLength;
        if (content.Count < end)
        {
            throw new NiftiFormatException(
                path,
                $"truncated data: a {layout.Size} {layout.DataType} image needs {end} bytes (voxels from offset {layout.DataOffset}), "
                + $"but the file (decompressed, if gzip) has {content.Count}; {end - content.Count} bytes are missing");
        }

        var geometry = NiftiGeometryDecoder.Decode(header, layout.Size, path);
        return new LoadedImage(header, layout, geometry, content.Slice((int)layout.DataOffset, (int)layout.DataLength));
    }

    private sealed record LoadedImage(NiftiHeader Header, NiftiVoxelLayout Layout, VolumeGeometry Geometry, ArraySegment<byte> Data);
}
