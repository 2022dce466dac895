using MiM.Bundles.Model.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Turns a token mask [N, T] (1 = masked, 0 = visible) into what the network needs: the visible and restore index
/// tensors of the encoder's gather and the decoder's unshuffle, and the visible mask at a conv stage's resolution.
/// </summary>
public static class TokenMask
{
    /// <summary>
    /// Visible token indices [N, Tv] ascending, and ids_restore [N, T] = argsort(cat(sorted visible, sorted masked)),
    /// the permutation that puts [visible…, masked…] back into token order.
    /// </summary>
    /// <param name="mask">[N, T] of 0/1 with the same number of visible tokens in every row.</param>
    /// <exception cref="ArgumentException">The mask is not 2-D 0/1, or rows keep different numbers of tokens.</exception>
    public static (Tensor IdsKeep, Tensor IdsRestore) KeepAndRestore(Tensor mask)
    {
        var visibleCount = CountVisible(mask);
        using var scope = NewDisposeScope();
        var tokens = mask.shape[1];

        // Keys mask·T + index are distinct, so one argsort yields visible-ascending then masked-ascending
        // without relying on a stable sort.
        // Scalars held through the calls: a temporary one freed mid-call would silently change the keys.
        using var tokenCount = tokens.ToScalar();
        using var positions = arange(CachedScalars.IntegerZero, tokenCount, CachedScalars.IntegerOne, ScalarType.Int64, mask.device);
        var keys = mask.to(ScalarType.Int64).mul(tokenCount).add(positions, CachedScalars.IntegerOne);
        var shuffle = keys.argsort(dim: 1);
        var idsKeep = shuffle[.., ..(int)visibleCount].contiguous();
        var idsRestore = shuffle.argsort(dim: 1);
        return (idsKeep.MoveToOuterDisposeScope(), idsRestore.MoveToOuterDisposeScope());
    }

    /// <summary>Visible tokens per row (the same in every row).</summary>
    /// <param name="mask">[N, T] of 0/1.</param>
    /// <exception cref="ArgumentException">The mask is not 2-D 0/1, or rows keep different numbers of tokens.</exception>
    public static long CountVisible(Tensor mask)
    {
        ArgumentNullException.ThrowIfNull(mask);
        if (mask.dim() != 2)
        {
            throw new ArgumentException($"Expected a token mask [N,T], got [{string.Join(",", mask.shape)}].", nameof(mask));
        }

        using var scope = NewDisposeScope();
        if (!mask.eq(CachedScalars.Zero).logical_or(mask.eq(CachedScalars.One)).all().item<bool>())
        {
            throw new ArgumentException("The token mask must hold only 0 (visible) and 1 (masked).", nameof(mask));
        }

        var perRow = mask.to(ScalarType.Float64).neg().add_(CachedScalars.One, CachedScalars.One).sum(1);
        var (min, max) = ((long)perRow.min().item<double>(), (long)perRow.max().item<double>());
        if (min != max)
        {
            throw new ArgumentException($"Every row of the token mask must keep the same number of tokens; found {min} to {max}.", nameof(mask));
        }

        return min;
    }

    /// <summary>
    /// The visible mask [N, 1, G·f, G·f, G·f] (1 = visible) at a stage whose grid is <paramref name="factor"/> times the
    /// token grid: each token's value fills its f³ cell (nearest upsampling).
    /// </summary>
    /// <param name="mask">[N, G³] token mask, 1 = masked.</param>
    /// <param name="gridSize">Tokens per axis G.</param>
    /// <param name="factor">Stage cells per token along each axis.</param>
    public static Tensor VisibleAt(Tensor mask, int gridSize, int factor)
    {
        ArgumentNullException.ThrowIfNull(mask);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gridSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(factor);
        long n = mask.shape[0], g = gridSize, f = factor;
        // 1 − mask without temporary Scalars (they can be finalized while libtorch reads them; docs/numerics.md).
        using var visible = mask.neg().add_(CachedScalars.One, CachedScalars.One);
        using var cells = visible.reshape(n, 1, g, 1, g, 1, g, 1);
        using var expanded = cells.expand(n, 1, g, f, g, f, g, f);
        return expanded.reshape(n, 1, g * f, g * f, g * f);
    }
}
