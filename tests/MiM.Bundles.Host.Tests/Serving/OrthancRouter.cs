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
    public const string AeTitle = "ORTHANC";
    private readonly TempFolder _folder;
    private readonly PeerProcess _process;

    private OrthancRouter(TempFolder folder, PeerProcess process, int httpPort, int dicomPort)
    {
        _folder = folder;
        _process = process;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int DicomPort { get; }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <summary>Starts Orthanc on free ports routing CT to <paramref name="hosts"/> (AE MIMSERVE on 127.0.0.1 at each port).</summary>
    public static async Task<OrthancRouter> StartAsync(int dicomPort, params int[] hosts)
    {
        var folder = new TempFolder("orthanc-router");
        var httpPort = FreePort.Next();
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
        var script = Path.Combine(folder.Path, "route.lua");
        await File.WriteAllTextAsync(script, lua);
        var config = new JsonObject
        {
            ["Name"] = "router",
            ["StorageDirectory"] = folder.Sub("storage"),
            ["IndexDirectory"] = folder.Sub("index"),
            ["HttpPort"] = httpPort,
            [nameof(DicomPort)] = dicomPort,
            ["DicomAet"] = AeTitle,
            ["DicomCheckCalledAet"] = true,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["StableAge"] = 1,
            ["LuaScripts"] = new JsonArray(script),
            ["Plugins"] = new JsonArray(),
            ["DicomModalities"] = new JsonObject(names.Select((n, i) => KeyValuePair.Create<string, JsonNode?>(n, new JsonArray("MIMSERVE", "127.0.0.1", hosts[i])))),
        };
        var path = Path.Combine(folder.Path, "orthanc.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var process = PeerProcess.Start("Orthanc", path);
        var router = new OrthancRouter(folder, process, httpPort, dicomPort);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await router.Http.GetAsync("system");
                if (response.IsSuccessStatusCode)
                {
                    return router;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            Assert.False(process.HasExited, process.Output);
            await Task.Delay(100);
        }
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

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        _folder.Dispose();
    }
}
