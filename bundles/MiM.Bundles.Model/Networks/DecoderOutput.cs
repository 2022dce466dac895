using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>What the decoder returns.</summary>
/// <param name="Prediction">[N, T, 16³·C] reconstruction of every token, in <see cref="Patchify"/> order.</param>
/// <param name="Features">[N, T, DecoderDim] after <c>decoder_norm</c>, before <c>decoder_pred</c> (the alignment features).</param>
public sealed record DecoderOutput(Tensor Prediction, Tensor Features) : IDisposable
{
    /// <summary>Disposes both tensors.</summary>
    public void Dispose()
    {
        Prediction.Dispose();
        Features.Dispose();
    }
}
