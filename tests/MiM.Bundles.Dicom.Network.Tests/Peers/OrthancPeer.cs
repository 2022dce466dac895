using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>Orthanc as a plain process on free ports with temporary storage, driven through its REST API.</summary>
internal sealed class OrthancPeer : IDisposable
{
    public const string AeTitle = OrthancProcess.AeTitle;
    private readonly OrthancProcess _orthanc;

    private OrthancPeer(OrthancProcess orthanc) => _orthanc = orthanc;

    public int DicomPort => _orthanc.DicomPort;

    public HttpClient Http => _orthanc.Http;

    /// <summary>Starts Orthanc; <paramref name="modalities"/> maps a name to our SCP (AE title, port on 127.0.0.1).</summary>
    public static async Task<OrthancPeer> StartAsync(params (string Name, string AeTitle, int Port)[] modalities)
    {
        var settings = new JsonObject
        {
            ["HttpServerEnabled"] = true,
            ["DicomModalities"] = new JsonObject(modalities.Select(m =>
                KeyValuePair.Create<string, JsonNode?>(m.Name, new JsonArray(m.AeTitle, "127.0.0.1", m.Port)))),
        };
        return new OrthancPeer(await OrthancProcess.StartAsync("orthanc", FreePort.Next(), settings));
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

    public void Dispose() => _orthanc.Dispose();
}
