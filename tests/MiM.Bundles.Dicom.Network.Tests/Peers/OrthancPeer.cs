using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>Orthanc as a plain process on free ports with temporary storage, driven through its REST API.</summary>
internal sealed class OrthancPeer : IDisposable
{
    private readonly TempFolder _folder;
    private readonly PeerProcess _process;

    private OrthancPeer(TempFolder folder, PeerProcess process, int httpPort, int dicomPort)
    {
        _folder = folder;
        _process = process;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public const string AeTitle = "ORTHANC";

    public int DicomPort { get; }

    public HttpClient Http { get; }

    /// <summary>Starts Orthanc; <paramref name="modalities"/> maps a name to our SCP (AE title, port on 127.0.0.1).</summary>
    public static async Task<OrthancPeer> StartAsync(params (string Name, string AeTitle, int Port)[] modalities)
    {
        var folder = new TempFolder("orthanc");
        var httpPort = FreePort.Next();
        var dicomPort = FreePort.Next();
        var config = new JsonObject
        {
            ["Name"] = "mim-test",
            ["StorageDirectory"] = folder.Sub("storage"),
            ["IndexDirectory"] = folder.Sub("index"),
            ["HttpPort"] = httpPort,
            [nameof(DicomPort)] = dicomPort,
            ["DicomAet"] = AeTitle,
            ["DicomCheckCalledAet"] = true,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["HttpServerEnabled"] = true,
            ["Plugins"] = new JsonArray(),
            ["DicomModalities"] = new JsonObject(modalities.Select(m =>
                KeyValuePair.Create<string, JsonNode?>(m.Name, new JsonArray(m.AeTitle, "127.0.0.1", m.Port)))),
        };
        var path = Path.Combine(folder.Path, "orthanc.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var process = PeerProcess.Start("Orthanc", path);
        var peer = new OrthancPeer(folder, process, httpPort, dicomPort);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await peer.Http.GetAsync("system");
                if (response.IsSuccessStatusCode)
                {
                    return peer;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            Assert.False(process.HasExited, process.Output);
            await Task.Delay(100);
        }
    }

    public async Task<string> UploadAsync(string file)
    {
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        using var response = await Http.PostAsync("instances", content);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("ID").GetString()!;
    }

    public async Task<string[]> SopInstanceUidsAsync()
    {
        using var response = await Http.PostAsync("tools/find", new StringContent("""{"Level":"Instance","Query":{},"Expand":true}"""));
        response.EnsureSuccessStatusCode();
        var found = await response.Content.ReadFromJsonAsync<JsonElement>();
        return [.. found.EnumerateArray().Select(i => i.GetProperty("MainDicomTags").GetProperty("SOPInstanceUID").GetString()!).Order(StringComparer.Ordinal)];
    }

    public async Task<byte[]> FileAsync(string sopInstanceUid)
    {
        using var lookup = await Http.PostAsync("tools/lookup", new StringContent(sopInstanceUid));
        var id = (await lookup.Content.ReadFromJsonAsync<JsonElement>())[0].GetProperty("ID").GetString();
        return await Http.GetByteArrayAsync(string.Create(CultureInfo.InvariantCulture, $"instances/{id}/file"));
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        _folder.Dispose();
    }
}
