using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// Orthanc as a hospital's router and PACS: it stores what it receives and its own Lua routing forwards each stable CT
/// series to one of the `mim serve` hosts (by the digit sum of the Study Instance UID when there are two, so a study's
/// series go to one host). Driven through its REST API.
/// </summary>
internal sealed class OrthancRouter : IDisposable
{
    public const string AeTitle = OrthancProcess.AeTitle;
    private readonly OrthancProcess _orthanc;

    private OrthancRouter(OrthancProcess orthanc) => _orthanc = orthanc;

    public int DicomPort => _orthanc.DicomPort;

    public HttpClient Http => _orthanc.Http;

    public string Output => _orthanc.Output;

    /// <summary>Starts Orthanc on free ports routing CT to <paramref name="hosts"/> (AE MIMSERVE on 127.0.0.1 at each port).</summary>
    public static async Task<OrthancRouter> StartAsync(int dicomPort, params int[] hosts)
    {
        var names = hosts.Select((_, i) => $"mim{i}").ToArray();
        // Orthanc 1.10's Lua SendToModality treats a series id as an instance ("Unable to read attachment"): forward
        // the series with the REST call that the Orthanc Book's auto-routing samples use.
        var lua = $$"""
            function OnStableSeries(seriesId, tags, metadata)
              if tags['Modality'] ~= 'CT' then return end
              local study = ParseJson(RestApiGet('/series/' .. seriesId .. '/study'))['MainDicomTags']['StudyInstanceUID']
              local sum = 0
              for d in string.gmatch(study, '%d') do sum = sum + tonumber(d) end
              local hosts = { {{string.Join(", ", names.Select(n => $"'{n}'"))}} }
              RestApiPost('/modalities/' .. hosts[(sum % #hosts) + 1] .. '/store', seriesId)
            end
            """;
        var settings = new JsonObject
        {
            ["StableAge"] = 1,
            ["DicomModalities"] = new JsonObject(names.Select((n, i) => KeyValuePair.Create<string, JsonNode?>(n, new JsonArray("MIMSERVE", "127.0.0.1", hosts[i])))),
        };
        return new OrthancRouter(await OrthancProcess.StartAsync("router", dicomPort, settings, lua));
    }

    /// <summary>Modality of each series of the study with <paramref name="studyInstanceUid"/> (empty when Orthanc does not have it).</summary>
    public async Task<List<(string Modality, string SeriesId, int Instances)>> SeriesOfStudyAsync(string studyInstanceUid)
    {
        using var lookup = await Http.PostAsync("tools/lookup", new StringContent(studyInstanceUid));
        var found = await lookup.Content.ReadFromJsonAsync<JsonElement>();
        if (found.GetArrayLength() == 0)
        {
            return [];
        }

        var series = await Http.GetFromJsonAsync<JsonElement>($"studies/{found[0].GetProperty("ID").GetString()}/series");
        return [.. series.EnumerateArray().Select(s => (
            s.GetProperty("MainDicomTags").TryGetProperty("Modality", out var m) ? m.GetString()! : "",
            s.GetProperty("ID").GetString()!,
            s.GetProperty("Instances").GetArrayLength()))];
    }

    /// <summary>The Part 10 bytes of the first instance of a series.</summary>
    public async Task<byte[]> FirstInstanceAsync(string seriesId)
    {
        var instances = await Http.GetFromJsonAsync<JsonElement>($"series/{seriesId}/instances");
        return await Http.GetByteArrayAsync($"instances/{instances[0].GetProperty("ID").GetString()}/file");
    }

    public void Dispose() => _orthanc.Dispose();
}
