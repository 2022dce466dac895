namespace MiM.Bundles.Model.Numerics;

/// <summary>How a spatial convolution (depthwise or dense) is computed.</summary>
public enum ConvolutionPath
{
    /// <summary>libtorch's <c>conv3d</c> (on the CPU mostly oneDNN's kernels): fastest where it is right.</summary>
    LibTorch,

    /// <summary>The model's own formulation on matrix products and element-wise ops, correct where oneDNN's direct kernels are not.</summary>
    Explicit,
}
