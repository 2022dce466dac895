using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms.Grids;

namespace MiM.Bundles.Imaging.Transforms.CropPad;

/// <summary>Cuts the same box out of a sample's image and label: the shared step of every crop and pad.</summary>
internal static class SampleRegion
{
    /// <summary>The box starting at source voxel <paramref name="start"/>; outside voxels take <paramref name="imageFill"/> (labels 0).</summary>
    public static TransformSample Extract(TransformSample sample, (int I, int J, int K) start, GridSize size, float imageFill)
    {
        var geometry = GridRegion.MapGeometry(sample.Geometry, start, size);
        var image = new Volume(geometry, GridRegion.Copy(sample.Image.Voxels, sample.Geometry.Size, start, size, imageFill));
        var label = sample.Label is null ? null : new LabelMap(geometry, GridRegion.Copy(sample.Label.Voxels, sample.Geometry.Size, start, size, (ushort)0));
        return new TransformSample(image, label);
    }
}
