using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// Holds every tensor made while a network is built until it is complete, then frees them and hands the network's
/// parameters and buffers on. TorchSharp's module constructors and initialisers make temporaries that nobody disposes
/// (the <c>kernel[0][0]</c> views of a fan-in, the data a <c>Parameter</c> is made from); left to the finalizer, a
/// garbage collection can free one while libtorch still reads it. Under forced collections that changed initial
/// weights and crashed the process in <c>clone</c> (docs/numerics.md, "Lifetimes of native objects").
/// </summary>
/// <remarks>
/// A tensor in a dispose scope is referenced by the scope, so no collection can finalize it. TorchSharp 0.107's
/// <c>buffers()</c> lists no non-persistent buffer, so a module that registers one takes it out of the scope itself
/// (<c>DetachFromDisposeScope</c>); a tensor field it forgets fails at the first forward pass ("Tensor invalid").
/// </remarks>
public sealed class ConstructionScope : IDisposable
{
    private readonly DisposeScope _scope = NewDisposeScope();

    /// <summary>Takes the finished network's parameters and buffers out of the scope, so they outlive it.</summary>
    /// <param name="network">The network whose constructor opened this scope.</param>
    public void Keep(nn.Module network)
    {
        ArgumentNullException.ThrowIfNull(network);
        _scope.Detach(network.parameters());
        _scope.Detach(network.buffers());
    }

    /// <summary>Frees every temporary made while the network was built.</summary>
    public void Dispose() => _scope.Dispose();
}
