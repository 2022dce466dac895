using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Model.Tests.Data;

internal static class TestVolumes
{
    public static readonly Direction3D Ras = new(new(-1, 0, 0), new(0, -1, 0), new(0, 0, 1));

    /// <summary>A volume whose voxel values are their own linear index, so every output voxel names its source.</summary>
    public static Volume Indexed(GridSize size, Direction3D direction, Vector3D? origin = null, Vector3D? spacing = null)
    {
        var geometry = new VolumeGeometry(size, origin ?? new(10, -20, 30), spacing ?? new(0.7, 1.1, 2.5), direction);
        var voxels = new float[size.VoxelCount];
        for (var n = 0; n < voxels.Length; n++)
        {
            voxels[n] = n;
        }

        return new Volume(geometry, voxels);
    }

    public static Volume Filled(GridSize size, Direction3D direction, float value)
    {
        var volume = Volume.Zeros(new VolumeGeometry(size, new(0, 0, 0), new(1, 1, 1), direction));
        Array.Fill(volume.Voxels, value);
        return volume;
    }

    /// <summary>Writes phantom <paramref name="seed"/> of <paramref name="size"/>³ as .nii.gz and returns its path.</summary>
    public static string WritePhantom(string folder, int seed, int size)
    {
        var path = Path.Combine(folder, $"phantom_{seed:D3}_{size}.nii.gz");
        NiftiWriter.Write(path, PhantomGenerator.Generate(seed, size).Image, NiftiDataType.Int16);
        return path;
    }

    /// <summary>A NIfTI file cut off half-way through, as an interrupted copy leaves it.</summary>
    public static string WriteTruncated(string folder, string name)
    {
        var good = WritePhantom(folder, 99, 32);
        var bytes = File.ReadAllBytes(good);
        File.Delete(good);
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        return path;
    }
}
