using System.Globalization;
using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Host.Catalog;

/// <summary>Checks <c>network_data_format</c>: inputs and outputs present, every label and class coded.</summary>
internal static class NetworkDataFormatValidator
{
    private const string File = BundleLayout.Metadata;

    public static void Validate(BundleMetadata metadata, ICollection<BundleProblem> problems)
    {
        if (metadata.NetworkDataFormat is not { } format)
        {
            problems.Add(new(File, "network_data_format", "missing"));
            return;
        }

        if (format.Inputs is not { Count: > 0 })
        {
            problems.Add(new(File, "network_data_format.inputs", "missing: name at least the input image"));
        }

        if (format.Outputs is not { Count: > 0 })
        {
            problems.Add(new(File, "network_data_format.outputs", "missing"));
            return;
        }

        foreach (var (name, output) in format.Outputs)
        {
            var field = $"network_data_format.outputs.{name}";
            if (metadata.Task is BundleTasks.Segmentation or BundleTasks.Classification)
            {
                ValidateChannels(metadata.Task, field, output, problems);
            }
        }
    }

    private static void ValidateChannels(string task, string field, TensorFormat output, ICollection<BundleProblem> problems)
    {
        if (output.ChannelDef is not { Count: > 0 } channels)
        {
            problems.Add(new(File, $"{field}.channel_def", "missing: every output channel needs a name and codes"));
            return;
        }

        if (output.NumChannels is { } count && count != channels.Count)
        {
            problems.Add(new(File, $"{field}.num_channels", $"is {count} but channel_def defines {channels.Count} channels"));
        }

        foreach (var (key, channel) in channels)
        {
            var where = $"{field}.channel_def.{key}";
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= channels.Count)
            {
                problems.Add(new(File, where, $"channel keys are the indices 0..{channels.Count - 1}"));
                continue;
            }

            if (string.IsNullOrWhiteSpace(channel.Name))
            {
                problems.Add(new(File, $"{where}.name", "missing"));
            }

            // Channel 0 of a segmentation is background: it needs a name only.
            if (task == BundleTasks.Segmentation && index == 0)
            {
                continue;
            }

            if (channel.Type is not { IsComplete: true })
            {
                problems.Add(new(File, $"{where}.type", $"label \"{channel.Name}\" has no complete code (code, scheme, meaning), e.g. SNOMED CT"));
            }

            if (task != BundleTasks.Segmentation)
            {
                continue;
            }

            if (channel.Category is not { IsComplete: true })
            {
                problems.Add(new(File, $"{where}.category", $"label \"{channel.Name}\" has no complete category code (code, scheme, meaning)"));
            }

            if (channel.Colour is not { Count: 3 } colour || colour.Any(c => c is < 0 or > 255))
            {
                problems.Add(new(File, $"{where}.colour", $"label \"{channel.Name}\" needs a colour [r, g, b], each 0-255"));
            }
        }
    }
}
