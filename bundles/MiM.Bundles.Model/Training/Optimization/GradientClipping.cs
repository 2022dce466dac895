using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Optimization;

/// <summary>Global gradient-norm clipping (PyTorch's <c>clip_grad_norm_</c>) over the parameters that have gradients.</summary>
public static class GradientClipping
{
    /// <summary>Scales the gradients of <paramref name="parameters"/> so that their global L2 norm is at most <paramref name="maxNorm"/>.</summary>
    /// <returns>The global norm before clipping (0 when no parameter has a gradient).</returns>
    public static double ClipNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        using var scope = NewDisposeScope();
        var withGradients = parameters.Where(p => p.grad is not null).ToList();
        return withGradients.Count == 0 ? 0 : nn.utils.clip_grad_norm_(withGradients, maxNorm);
    }
}
