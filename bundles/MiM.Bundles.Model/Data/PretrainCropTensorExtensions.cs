using static TorchSharp.torch;

namespace MiM.Bundles.Model.Data;

/// <summary>Turns a crop into the network's input tensor.</summary>
public static class PretrainCropTensorExtensions
{
    /// <summary>
    /// The crop as a contiguous float tensor of shape [1, 1, n, n, n] indexed [0, 0, i, j, k] — the axis order MONAI
    /// gives a NIfTI image (dim 2 = i towards Right, 3 = j Anterior, 4 = k Superior), so token (h, w, d) means the same
    /// voxels as in the authors' PyTorch code and checkpoints interchange.
    /// </summary>
    public static Tensor ToTensor(this PretrainCrop crop, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(crop);
        var n = crop.CropSize;
        using var scope = NewDisposeScope();

        // The buffer is i fastest, i.e. a row-major [k, j, i] array; permute to [i, j, k] and make it contiguous.
        var kji = tensor(crop.Voxels, [n, n, n]);
        var ijk = kji.permute(2, 1, 0).contiguous().reshape(1, 1, n, n, n);
        return (device is null ? ijk : ijk.to(device)).MoveToOuterDisposeScope();
    }
}
