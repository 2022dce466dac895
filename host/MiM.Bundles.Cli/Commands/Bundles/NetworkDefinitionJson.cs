using System.Text.Json;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.Training;

namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>
/// The <c>network_def</c> of a built-in bundle, as the Standard plugin reads it: {"network": sizes, "downstream": options,
/// "encoder": "shared"|"embedded"} (the plugin is not referenced here: the host loads it like any other).
/// </summary>
internal static class NetworkDefinitionJson
{
    public static JsonElement Create(MimNetworkConfig network, DownstreamOptions options, bool? embeddedEncoder)
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
}
