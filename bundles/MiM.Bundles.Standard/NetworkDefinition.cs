using System.Text.Json;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Inference;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Standard;

/// <summary>
/// What a built-in bundle's configs/inference.json says about its network: <c>network_def</c> = {"network": sizes
/// (as in training recipes), "downstream": head options, "encoder": "shared"|"embedded"}, and the sliding-window
/// <c>inferer</c>.
/// </summary>
/// <param name="Network">The MiM sizes.</param>
/// <param name="Options">ROI, classes, relative position bias…</param>
/// <param name="EmbeddedEncoder">True when a head carries its own encoder weights.</param>
/// <param name="Window">The sliding window.</param>
public sealed record NetworkDefinition(MimNetworkConfig Network, DownstreamOptions Options, bool EmbeddedEncoder, SlidingWindowOptions Window)
{
    private const string File = "configs/inference.json";

    /// <summary>Reads the definition, or returns null after adding every problem found.</summary>
    public static NetworkDefinition? Read(JsonElement inference, ICollection<BundleProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!inference.TryGetProperty("network_def", out var definition) || definition.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new(File, "network_def", "missing"));
            return null;
        }

        MimNetworkConfig? network = null;
        DownstreamOptions? options = null;
        try
        {
            network = definition.TryGetProperty("network", out var n) ? n.Deserialize<MimNetworkConfig>(PretrainConfig.JsonOptions) : null;
            if (network is null)
            {
                problems.Add(new(File, "network_def.network", "missing: the MiM sizes (inputSize, embedDims, depths, numHeads…)"));
            }
            else
            {
                network.Validate();
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidDataException)
        {
            problems.Add(new(File, "network_def.network", e.Message));
            network = null;
        }

        try
        {
            options = definition.TryGetProperty("downstream", out var d) ? d.Deserialize<DownstreamOptions>(PretrainConfig.JsonOptions) : new DownstreamOptions();
            if (network is not null)
            {
                options!.Validate(network);
            }
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            problems.Add(new(File, "network_def.downstream", e.Message));
            options = null;
        }

        var embedded = definition.TryGetProperty("encoder", out var encoder) && encoder.GetString() == "embedded";
        var window = ReadWindow(inference, network, options, problems);
        return network is null || options is null || window is null ? null : new NetworkDefinition(network, options, embedded, window);
    }

    /// <summary>The network_def JSON for these settings.</summary>
    public static JsonElement ToJson(MimNetworkConfig network, DownstreamOptions options, bool? embeddedEncoder)
    {
        var json = new Dictionary<string, object>
        {
            ["network"] = JsonSerializer.SerializeToElement(network, PretrainConfig.JsonOptions),
            ["downstream"] = JsonSerializer.SerializeToElement(options, PretrainConfig.JsonOptions),
        };
        if (embeddedEncoder is { } embedded)
        {
            json["encoder"] = embedded ? "embedded" : "shared";
        }

        return JsonSerializer.SerializeToElement(json);
    }

    private static SlidingWindowOptions? ReadWindow(JsonElement inference, MimNetworkConfig? network, DownstreamOptions? options, ICollection<BundleProblem> problems)
    {
        var roi = network is not null && options is not null ? options.RoiFor(network) : 0;
        if (!inference.TryGetProperty("inferer", out var inferer))
        {
            return new SlidingWindowOptions(Math.Max(roi, 1), Overlap: 0.25, BatchSize: 1);
        }

        var size = inferer.TryGetProperty("roi_size", out var r) && r.ValueKind == JsonValueKind.Array && r.GetArrayLength() == 3
            ? r.EnumerateArray().Select(v => v.TryGetInt32(out var x) ? x : 0).ToArray()
            : [roi, roi, roi];
        if (roi != 0 && size.Any(s => s != roi))
        {
            problems.Add(new(File, "inferer.roi_size", $"[{string.Join(", ", size)}] differs from the network's ROI {roi} (cubic)"));
            return null;
        }

        var overlap = inferer.TryGetProperty("overlap", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetDouble() : 0.25;
        var batch = inferer.TryGetProperty("sw_batch_size", out var b) && b.TryGetInt32(out var bb) ? bb : 1;
        var sigma = inferer.TryGetProperty("sigma_scale", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetDouble() : 0.125;
        return new SlidingWindowOptions(Math.Max(roi, 1), overlap, batch, sigma);
    }
}
