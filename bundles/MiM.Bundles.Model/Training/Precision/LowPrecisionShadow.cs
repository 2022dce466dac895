using MiM.Bundles.Model.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Precision;

/// <summary>
/// Mixed precision without autocast (TorchSharp 0.107 has none): the fp32 network stays the master that the
/// optimiser updates and checkpoints save; a bf16 or fp16 copy runs forward and backward. Before each step the
/// copy takes the master's values, after backward its gradients are handed to the master in fp32.
/// LayerNorm, softmax and reductions accumulate in fp32 inside libtorch's CUDA kernels for both types.
/// </summary>
/// <typeparam name="TNetwork">The network type (the pre-training or the segmentation network).</typeparam>
public sealed class LowPrecisionShadow<TNetwork> : IDisposable
    where TNetwork : nn.Module
{
    private readonly (Parameter Master, Parameter Shadow)[] _pairs;

    /// <summary>Builds the copy of <paramref name="master"/> in <paramref name="dtype"/> on the master's device.</summary>
    /// <param name="master">The fp32 network the optimiser updates.</param>
    /// <param name="createCopy">Makes a new network of the master's architecture (its values are replaced before use).</param>
    /// <param name="dtype">The compute element type.</param>
    public LowPrecisionShadow(TNetwork master, Func<TNetwork> createCopy, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(createCopy);
        Network = createCopy();
        Network.to(master.parameters().First().device).to(dtype);
        DType = dtype;
        var shadows = Network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _pairs = master.named_parameters().Select(p => (p.parameter, shadows[p.name])).ToArray();
        Network.train();
    }

    /// <summary>The low-precision copy that runs forward and backward.</summary>
    public TNetwork Network { get; }

    /// <summary>Its element type.</summary>
    public ScalarType DType { get; }

    /// <summary>The shadow's parameters, whose gradients a loss scaler unscales.</summary>
    public IEnumerable<Parameter> Parameters => _pairs.Select(p => p.Shadow);

    /// <summary>Copies the master's current values into the copy and clears the copy's gradients.</summary>
    public void Pull()
    {
        using var noGrad = no_grad();
        foreach (var (master, shadow) in _pairs)
        {
            shadow.copy_(master);
            shadow.grad = null;
        }
    }

    /// <summary>Hands the copy's gradients to the master as fp32 (added to any the master already has).</summary>
    public void PushGradients()
    {
        using var noGrad = no_grad();
        foreach (var (master, shadow) in _pairs)
        {
            if (shadow.grad is null || !master.requires_grad)
            {
                continue;
            }

            using var grad = shadow.grad.to(master.dtype);
            if (master.grad is null)
            {
                master.grad = grad.clone();
            }
            else
            {
                master.grad.add_(grad, CachedScalars.One);
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => Network.Dispose();
}
