using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training.Checkpoints;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Weights;

/// <summary>
/// Loads pre-trained encoder weights into a <see cref="MimDownstreamEncoder"/> (MIM_SPEC.md section 6): from our
/// pre-training checkpoints (a checkpoint folder, a run folder, or a model.safetensors) or from official-named state
/// dicts, whose keys may carry <c>module.</c> and <c>backbone.</c> prefixes. The position embedding (and an official
/// relative position bias table) is trilinearly interpolated when the token grid differs; the pre-training-only parts
/// are dropped. Any other tensor the encoder has under the same name must have the same shape.
/// </summary>
public static class EncoderWeightTransfer
{
    private const string BackbonePrefix = "backbone.";
    private const string PositionEmbedding = "pos_embed";
    private const string BiasTableSuffix = "relative_position_bias_table";

    /// <summary>Loads from a .safetensors file, a checkpoint folder (model.safetensors inside) or a run folder (its latest checkpoint).</summary>
    /// <exception cref="FileNotFoundException">No weights file is found at <paramref name="path"/>.</exception>
    /// <exception cref="WeightMismatchException">A tensor's shape differs from the encoder's; the message names the key.</exception>
    public static WeightTransferReport Load(MimDownstreamEncoder encoder, string path)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var file = ResolveWeightsFile(path);
        var state = MimWeights.ReadStateDict(file);
        try
        {
            return Load(encoder, state, file);
        }
        finally
        {
            foreach (var tensor in state.Values)
            {
                tensor.Dispose();
            }
        }
    }

    /// <summary>As <see cref="Load(MimDownstreamEncoder, string)"/>, from tensors in memory (not disposed here).</summary>
    public static WeightTransferReport Load(MimDownstreamEncoder encoder, IReadOnlyDictionary<string, Tensor> source, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(source);
        var target = encoder.state_dict();
        var plan = Plan(source, target);
        var loaded = new List<string>();
        var interpolated = new List<string>();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        // Resolve every tensor before copying any, so a shape error leaves the encoder untouched.
        var copies = new List<(string Key, Tensor Value)>();
        foreach (var (key, sourceKey) in plan.Mapped)
        {
            var value = source[sourceKey];
            var want = target[key].shape;
            if (value.shape.SequenceEqual(want))
            {
                copies.Add((key, value));
                loaded.Add(key);
            }
            else if (key == PositionEmbedding || key.EndsWith(BiasTableSuffix, StringComparison.Ordinal))
            {
                var resized = key == PositionEmbedding ? ResizePositionEmbedding(value, want, sourceKey) : ResizeBiasTable(value, want, sourceKey);
                copies.Add((key, resized));
                interpolated.Add($"{key}: {Describe(value.shape)} → {Describe(want)}");
            }
            else
            {
                throw new WeightMismatchException(
                    $"{sourceName}: '{sourceKey}' has shape {Describe(value.shape)} but the encoder's '{key}' is {Describe(want)}; "
                    + "the checkpoint was trained with other network sizes (check the network config).")
                {
                    ShapeMismatches = [$"{key}: expected {Describe(want)}, found {Describe(value.shape)}"],
                };
            }
        }

        foreach (var (key, value) in copies)
        {
            target[key].copy_(value);
        }

        var newKeys = target.Keys.Where(k => !plan.Mapped.ContainsKey(k)).ToList();
        return new WeightTransferReport(sourceName, loaded, interpolated, plan.Dropped, newKeys);
    }

    /// <summary>The safetensors file a path names: itself, a checkpoint folder's model.safetensors, or a run's latest checkpoint.</summary>
    /// <exception cref="FileNotFoundException">Nothing usable is there.</exception>
    public static string ResolveWeightsFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return Path.GetFullPath(path);
        }

        if (Directory.Exists(path))
        {
            var inFolder = Path.Combine(path, CheckpointStore.ModelFile);
            if (File.Exists(inFolder))
            {
                return Path.GetFullPath(inFolder);
            }

            var latest = new CheckpointStore(path, keep: int.MaxValue).Latest();
            if (latest is not null)
            {
                return Path.GetFullPath(Path.Combine(latest, CheckpointStore.ModelFile));
            }
        }

        throw new FileNotFoundException(
            $"No encoder weights at '{path}': expected a .safetensors file, a checkpoint folder with {CheckpointStore.ModelFile}, or a run folder with checkpoints/latest.",
            path);
    }

    /// <summary>True for the parts only pre-training has: final norm, fusion convs, MAE decoder, mask token, projectors.</summary>
    public static bool IsPretrainingOnly(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.StartsWith("norm.", StringComparison.Ordinal)
            || (key.StartsWith("stage", StringComparison.Ordinal) && key.Contains("_output_decode.", StringComparison.Ordinal))
            || key.StartsWith("decoder_", StringComparison.Ordinal)
            || key == "mask_token"
            || key.StartsWith("aggregate_", StringComparison.Ordinal);
    }

    private static (Dictionary<string, string> Mapped, List<string> Dropped) Plan(
        IReadOnlyDictionary<string, Tensor> source, Dictionary<string, Tensor> target)
    {
        var names = source.Keys.ToDictionary(k => k, StripModule, StringComparer.Ordinal);

        // A downstream checkpoint holds its encoder under backbone. next to its own decoder: only backbone.* is the encoder.
        var prefixed = names.Values.Any(n => n.StartsWith(BackbonePrefix, StringComparison.Ordinal));
        var mapped = new Dictionary<string, string>(StringComparer.Ordinal);
        var dropped = new List<string>();
        foreach (var (sourceKey, name) in names.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string? key = name;
            if (prefixed)
            {
                key = name.StartsWith(BackbonePrefix, StringComparison.Ordinal) ? name[BackbonePrefix.Length..] : null;
            }

            if (key is null || IsPretrainingOnly(key) || !target.ContainsKey(key) || mapped.ContainsKey(key))
            {
                dropped.Add(sourceKey);
                continue;
            }

            mapped[key] = sourceKey;
        }

        return (mapped, dropped);
    }

    private static string StripModule(string key)
    {
        // DataParallel / DDP wrap the model as "module."; some training scripts nest it under "model.".
        while (key.StartsWith("module.", StringComparison.Ordinal) || key.StartsWith("model.", StringComparison.Ordinal))
        {
            key = key[(key.IndexOf('.', StringComparison.Ordinal) + 1)..];
        }

        return key;
    }

    /// <summary>[1, Gs³, D] → [1, Gt³, D] by trilinear interpolation of the token grid (align_corners false).</summary>
    private static Tensor ResizePositionEmbedding(Tensor value, long[] want, string key)
    {
        var from = CubeRoot(value.dim() == 3 && value.shape[0] == 1 && value.shape[2] == want[2] ? value.shape[1] : -1, key, value.shape, want);
        var to = CubeRoot(want[1], key, value.shape, want);
        var d = want[2];
        var grid = value.to(float32).reshape(1, from, from, from, d).permute(0, 4, 1, 2, 3);
        var resized = nn.functional.interpolate(grid, [to, to, to], mode: InterpolationMode.Trilinear, align_corners: false);
        return resized.permute(0, 2, 3, 4, 1).reshape(1, to * to * to, d);
    }

    /// <summary>
    /// [(2Gs−1)³ (+3 class-token rows in the authors' tables, dropped), H] → [(2Gt−1)³, H], interpolating the offset grid.
    /// </summary>
    private static Tensor ResizeBiasTable(Tensor value, long[] want, string key)
    {
        if (value.dim() != 2 || value.shape[1] != want[1])
        {
            throw Mismatch(key, value.shape, want);
        }

        var rows = value.shape[0];
        var span = TryCubeRoot(rows) ?? TryCubeRoot(rows - 3) ?? throw Mismatch(key, value.shape, want);
        var to = CubeRoot(want[0], key, value.shape, want);
        var heads = want[1];
        var grid = value[TensorIndex.Slice(0, span * span * span)].to(float32).reshape(1, span, span, span, heads).permute(0, 4, 1, 2, 3);
        var resized = nn.functional.interpolate(grid, [to, to, to], mode: InterpolationMode.Trilinear, align_corners: true);
        return resized.permute(0, 2, 3, 4, 1).reshape(to * to * to, heads);
    }

    private static long CubeRoot(long count, string key, long[] found, long[] want) =>
        TryCubeRoot(count) ?? throw Mismatch(key, found, want);

    private static long? TryCubeRoot(long count)
    {
        if (count <= 0)
        {
            return null;
        }

        var root = (long)Math.Round(Math.Cbrt(count));
        return root * root * root == count ? root : null;
    }

    private static WeightMismatchException Mismatch(string key, long[] found, long[] want) =>
        new($"'{key}' has shape {Describe(found)}, which cannot be interpolated to the encoder's {Describe(want)} (not a cubic token grid).")
        {
            ShapeMismatches = [$"{key}: expected {Describe(want)}, found {Describe(found)}"],
        };

    private static string Describe(long[] shape) => "[" + string.Join(", ", shape) + "]";
}
