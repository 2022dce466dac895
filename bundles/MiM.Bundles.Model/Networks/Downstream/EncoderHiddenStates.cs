using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks.Downstream;

/// <summary>
/// The downstream encoder's feature maps for an ROI of edge S: the three conv stages (S/2, S/4, S/8), the ViT tokens
/// as a sequence and as a map (S/16), and the extra stage (S/32). Owned by the caller's dispose scope.
/// </summary>
/// <param name="Stage1">[B, C1, S/2, S/2, S/2].</param>
/// <param name="Stage2">[B, C2, S/4, …].</param>
/// <param name="Stage3">[B, C3, S/8, …].</param>
/// <param name="Tokens">[B, T, D] ViT output tokens (no final norm), T = (S/16)³.</param>
/// <param name="TokenMap">[B, D, S/16, S/16, S/16], the tokens in grid order.</param>
/// <param name="Extra">[B, 2D, S/32, …] the extra stage (<c>fpn</c>).</param>
public sealed record EncoderHiddenStates(Tensor Stage1, Tensor Stage2, Tensor Stage3, Tensor Tokens, Tensor TokenMap, Tensor Extra);
