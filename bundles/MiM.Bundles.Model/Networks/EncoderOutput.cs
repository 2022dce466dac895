using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>What the encoder returns for a masked batch.</summary>
/// <param name="Latent">[N, Tv, D] visible-token features after the final <c>norm</c>; row j is token IdsKeep[j].</param>
/// <param name="IdsKeep">[N, Tv] int64 visible token indices, ascending.</param>
/// <param name="IdsRestore">[N, T] int64 = argsort(cat(sorted visible, sorted masked)).</param>
public sealed record EncoderOutput(Tensor Latent, Tensor IdsKeep, Tensor IdsRestore) : IDisposable
{
    /// <summary>Disposes the three tensors.</summary>
    public void Dispose()
    {
        Latent.Dispose();
        IdsKeep.Dispose();
        IdsRestore.Dispose();
    }
}
