using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Checkpoints;

namespace MiM.Bundles.Model.Inference;

/// <summary>
/// Finds the network sizes that go with a weights file: an explicit recipe or model.json, else the model.json a
/// finished run writes next to its weights, else the recipe stored in a checkpoint folder's state.json.
/// </summary>
public static class NetworkConfigResolver
{
    /// <summary>The configuration for <paramref name="weightsPath"/>.</summary>
    /// <exception cref="InvalidDataException">Nothing tells the sizes; the message lists what was tried.</exception>
    public static MimNetworkConfig Resolve(string weightsPath, string? configPath)
    {
        if (configPath is not null)
        {
            return ReadEither(configPath);
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(weightsPath)) ?? ".";
        var modelJson = Path.Combine(folder, MimPretrainer.FinalConfigFile);
        if (File.Exists(modelJson))
        {
            return ReadEither(modelJson);
        }

        if (File.Exists(Path.Combine(folder, "state.json")))
        {
            return PretrainConfig.FromJson(CheckpointStore.ReadState(folder).ConfigJson).Network;
        }

        throw new InvalidDataException(
            $"No network configuration for '{weightsPath}': pass --config (a recipe or model.json); "
            + $"looked for {modelJson} and {Path.Combine(folder, "state.json")}.");
    }

    private static MimNetworkConfig ReadEither(string path)
    {
        var text = File.ReadAllText(path);
        using var document = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var config = document.RootElement.TryGetProperty("network", out _)
            ? PretrainConfig.FromJson(text).Network
            : JsonSerializer.Deserialize<MimNetworkConfig>(text, PretrainConfig.JsonOptions)
              ?? throw new InvalidDataException($"'{path}' is empty.");
        config.Validate();
        return config;
    }
}
