namespace MiM.Bundles.Model.Numerics;

/// <summary>The kinds of 3D convolution the networks use, each with its own implementation under Networks/Convolution.</summary>
public enum ConvolutionKind
{
    /// <summary>1×1×1 (conv blocks' conv1/conv2, MLPs, the segmentation output): a matrix product over channels.</summary>
    Pointwise,

    /// <summary>Kernel = stride (patch embeddings, stage-output decoders, the extra stage): a product per patch.</summary>
    Patch,

    /// <summary>Transposed, kernel = stride (UNETR up-blocks).</summary>
    PatchTransposed,

    /// <summary>Depthwise 5³ (conv blocks' <c>attn</c>).</summary>
    Depthwise,

    /// <summary>Full 3³ (UNETR residual blocks).</summary>
    Dense,
}
