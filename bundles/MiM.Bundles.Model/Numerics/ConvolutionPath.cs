namespace MiM.Bundles.Model.Numerics;

/// <summary>How a spatial convolution (depthwise or dense) is computed.</summary>
public enum ConvolutionPath
{
    /// <summary>libtorch's <c>conv3d</c> (on the CPU mostly oneDNN's kernels): fastest where it is right.</summary>
    LibTorch,

    /// <summary>
    /// Depthwise only: libtorch's forward kernel for the output and, with the kernel flipped, for the input gradient;
    /// in float32 on the CPU our own weight-gradient kernel (DepthwiseWeightGradient), else libtorch's weight-only backward.
    /// </summary>
    Adjoint,

    /// <summary>The model's own formulation on matrix products and element-wise ops, correct where oneDNN's direct kernels are not.</summary>
    Explicit,
}
