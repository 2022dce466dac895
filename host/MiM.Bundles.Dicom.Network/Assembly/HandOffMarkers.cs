using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>
/// The assembler's memory of what it handed on: one small JSON file per completed group,
/// <c>&lt;state&gt;/&lt;key&gt;/&lt;generation&gt;.json</c>, listing the group's SOP Instance UIDs, written atomically.
/// </summary>
internal sealed class HandOffMarkers(string folder, ILogger logger)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Records a handed-on group.</summary>
    public void Write(CompletedSeries group, DateTimeOffset completed)
    {
        var keyFolder = Path.Combine(folder, group.Key);
        if (!Directory.Exists(keyFolder))
        {
            Directory.CreateDirectory(keyFolder);
            DirectorySync.Flush(folder);
        }

        var marker = new Marker(group.Key, group.GroupBy, group.Generation, completed, [.. group.Instances.Select(i => i.SopInstanceUid)]);
        AtomicFile.WriteAllText(Path.Combine(keyFolder, group.Generation.ToString(CultureInfo.InvariantCulture) + ".json"), JsonSerializer.Serialize(marker, Json));
    }

    /// <summary>Reads every marker: the SOP Instance UIDs already handed on and the last generation of each key.</summary>
    public (HashSet<string> HandedOn, Dictionary<string, int> LastGeneration) ReadAll()
    {
        var handedOn = new HashSet<string>(StringComparer.Ordinal);
        var generations = new Dictionary<string, int>(StringComparer.Ordinal);
        Directory.CreateDirectory(folder);
        foreach (var path in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            if (AtomicFile.IsTemporary(path))
            {
                File.Delete(path); // a marker a crash interrupted: the group was not recorded, so it is handed on again
                continue;
            }

            Marker? marker;
            try
            {
                marker = JsonSerializer.Deserialize<Marker>(File.ReadAllText(path), Json);
            }
            catch (JsonException ex)
            {
                AssemblyLog.BadMarker(logger, ex, path);
                continue;
            }

            if (marker is null)
            {
                continue;
            }

            handedOn.UnionWith(marker.SopInstanceUids);
            generations[marker.Key] = Math.Max(generations.GetValueOrDefault(marker.Key), marker.Generation);
        }

        return (handedOn, generations);
    }

    private sealed record Marker(string Key, AssemblyGrouping GroupBy, int Generation, DateTimeOffset Completed, IReadOnlyList<string> SopInstanceUids);
}
