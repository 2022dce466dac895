using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// The built-in volume every bundle version segments or classifies once before it serves: 48³ voxels of 1.5 mm,
/// soft tissue (40 HU) with a 200 HU sphere in the middle. No patient data, same for every bundle.
/// </summary>
public static class SyntheticVolume
{
    /// <summary>A new copy of the warm-up volume.</summary>
    public static Volume Create()
    {
        const int Size = 48;
        var geometry = new VolumeGeometry(new GridSize(Size, Size, Size), new Vector3D(-36, -36, -36), new Vector3D(1.5, 1.5, 1.5), Direction3D.Identity);
        var voxels = new float[geometry.Size.VoxelCount];
        const double Centre = (Size - 1) / 2.0;
        for (var k = 0; k < Size; k++)
        {
            for (var j = 0; j < Size; j++)
            {
                for (var i = 0; i < Size; i++)
                {
                    var r2 = ((i - Centre) * (i - Centre)) + ((j - Centre) * (j - Centre)) + ((k - Centre) * (k - Centre));
                    voxels[geometry.Size.Offset(i, j, k)] = r2 < 12 * 12 ? 200f : 40f;
                }
            }
        }

        return new Volume(geometry, voxels);
    }
}
