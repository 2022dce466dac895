using System.Globalization;

namespace MiM.Bundles.Model.Weights;

/// <summary>What an encoder weight transfer did, key by key (names as the encoder registers them, without <c>backbone.</c>).</summary>
/// <param name="Source">The file the weights came from.</param>
/// <param name="Loaded">Encoder tensors copied unchanged.</param>
/// <param name="Interpolated">Encoder tensors resized to the new token grid, as "key: [from] → [to]".</param>
/// <param name="Dropped">Source tensors not used (pre-training-only parts and anything the encoder does not have), by source name.</param>
/// <param name="New">Encoder tensors the source did not provide: they keep their fresh initialisation.</param>
public sealed record WeightTransferReport(
    string Source,
    IReadOnlyList<string> Loaded,
    IReadOnlyList<string> Interpolated,
    IReadOnlyList<string> Dropped,
    IReadOnlyList<string> New)
{
    /// <summary>Report lines for a console: counts, then every interpolated, dropped and new key.</summary>
    public IEnumerable<string> Describe()
    {
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"encoder weights from {Source}: {Loaded.Count} loaded, {Interpolated.Count} interpolated, {Dropped.Count} dropped, {New.Count} new");
        foreach (var line in Interpolated)
        {
            yield return "  interpolated " + line;
        }

        foreach (var key in Dropped)
        {
            yield return "  dropped " + key;
        }

        foreach (var key in New)
        {
            yield return "  new " + key;
        }
    }
}
