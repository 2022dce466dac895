using System.CommandLine;
using System.Text.Json;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>`mim bundle inspect DIR [--json]`: what a bundle is, needs and produces, and whether it is servable.</summary>
internal static class BundleInspectCommand
{
    public static Command Create()
    {
        var folder = new Argument<DirectoryInfo>("DIR") { Description = "The bundle folder." };
        var json = new Option<bool>("--json") { Description = "Print the metadata and the validation result as JSON." };
        var command = new Command("inspect", "Show a bundle's id, version, kind, requirements, labels, weights and validation result.")
        {
            folder, json,
        };
        command.SetAction(parse =>
        {
            var path = parse.GetValue(folder)!.FullName;
            var validation = BundleValidateCommand.Validate(path);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(
                    new InspectJson(validation.Metadata, WeightFiles(path), validation.IsServable, [.. validation.Problems.Select(p => p.ToString())]),
                    BundleJson.Options));
            }
            else
            {
                Print(path, validation);
            }

            return validation.Metadata is null ? 1 : 0;
        });
        return command;
    }

    private static void Print(string path, BundleValidation validation)
    {
        var m = validation.Metadata;
        if (m is null)
        {
            Console.Error.WriteLine($"E: {path}: no readable {BundleLayout.Metadata}");
            return;
        }

        var output = Console.Out;
        output.WriteLine($"{m.Id} {m.Version}  ({m.Kind}, task {m.Task}{(m.Encoder is null ? "" : $", encoder {m.Encoder}")})");
        output.WriteLine($"  name:        {m.Name}");
        output.WriteLine($"  authors:     {string.Join(", ", m.Authors ?? [])}");
        output.WriteLine($"  license:     {m.License}");
        output.WriteLine($"  contracts:   {m.ContractsVersion}");
        output.WriteLine($"  requires:    {(m.Requires is { Count: > 0 } r ? string.Join(", ", r.Select(kv => $"{kv.Key} {kv.Value}")) : "nothing")}");
        output.WriteLine($"  intended use: {m.IntendedUse}");
        foreach (var (name, format) in m.NetworkDataFormat?.Outputs ?? new Dictionary<string, TensorFormat>())
        {
            foreach (var (index, channel) in format.ChannelDef ?? new Dictionary<string, ChannelDefinition>())
            {
                var code = channel.Type is { IsComplete: true } t ? $"{t.Scheme} {t.Code} \"{t.Meaning}\"" : "no code";
                output.WriteLine($"  {name}[{index}]: {channel.Name} ({code})");
            }
        }

        foreach (var (file, tensors) in WeightFiles(path))
        {
            output.WriteLine($"  weights:     {file} ({tensors} tensors)");
        }

        if (m.Changelog?.TryGetValue(m.Version ?? "", out var change) == true)
        {
            output.WriteLine($"  changes:     {change}");
        }

        output.WriteLine(validation.IsServable ? "  servable:    yes" : $"  servable:    no, {validation.Problems.Count} problem(s):");
        foreach (var problem in validation.Problems)
        {
            output.WriteLine($"    {problem}");
        }
    }

    private static Dictionary<string, int> WeightFiles(string path)
    {
        var models = BundleLayout.PathIn(path, BundleLayout.Models);
        var files = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!Directory.Exists(models))
        {
            return files;
        }

        foreach (var file in Directory.GetFiles(models, "*.safetensors").Order(StringComparer.Ordinal))
        {
            try
            {
                files[$"{BundleLayout.Models}/{Path.GetFileName(file)}"] = SafetensorsHeader.ReadShapes(file).Count;
            }
            catch (InvalidDataException)
            {
                files[$"{BundleLayout.Models}/{Path.GetFileName(file)}"] = -1;
            }
        }

        return files;
    }

    private sealed record InspectJson(BundleMetadata? Metadata, IReadOnlyDictionary<string, int> Weights, bool Servable, IReadOnlyList<string> Problems);
}
