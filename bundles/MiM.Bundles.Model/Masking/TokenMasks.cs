using MiM.Bundles.Model.Randomness;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Masking;

/// <summary>Random MAE token masks drawn from a <see cref="StepRandom"/> (1 = masked, 0 = visible).</summary>
public static class TokenMasks
{
    /// <summary>
    /// <paramref name="count"/> independent masks over <paramref name="tokens"/> tokens, each with exactly
    /// <see cref="VisibleCount"/> visible tokens, as a float32 tensor [count, tokens] on the CPU.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative or the ratio lies outside [0, 1].</exception>
    public static Tensor Random(StepRandom random, int count, int tokens, double ratio) =>
        torch.tensor(DrawRows(random, count, tokens, ratio), [count, tokens], ScalarType.Float32);

    /// <summary>
    /// Visible tokens per volume, floor(tokens·(1−ratio)), computed in double exactly as the released code's
    /// <c>int(L * (1 - mask_ratio))</c> so that both keep the same number where rounding matters (0.6 → 86 of 216).
    /// </summary>
    public static int VisibleCount(int tokens, double ratio) => (int)Math.Floor(tokens * (1.0 - ratio));

    /// <summary>The masks of <see cref="Random"/> as a row-major array, for callers that choose children from them.</summary>
    internal static float[] DrawRows(StepRandom random, int count, int tokens, double ratio)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokens);
        if (!(ratio >= 0 && ratio <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "A mask ratio must lie in [0, 1].");
        }

        var visible = VisibleCount(tokens, ratio);
        var rows = new float[count * tokens];
        Array.Fill(rows, 1f);
        for (var row = 0; row < count; row++)
        {
            foreach (var token in random.Choose(tokens, visible))
            {
                rows[(row * tokens) + token] = 0f;
            }
        }

        return rows;
    }
}
