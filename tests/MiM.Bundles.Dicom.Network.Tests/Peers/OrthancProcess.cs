using System.Text.Json.Nodes;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>
/// An Orthanc process on a free HTTP port with temporary storage, local only and without authentication, checking the
/// called AE title; ready once its REST API answers. Shared by the Orthanc peer of the network tests and the Orthanc
/// router of the host tests.
/// </summary>
internal sealed class OrthancProcess : IDisposable
{
    public const string AeTitle = "ORTHANC";
    private readonly TempFolder _folder;
    private readonly PeerProcess _process;

    private OrthancProcess(TempFolder folder, PeerProcess process, int httpPort, int dicomPort)
    {
        _folder = folder;
        _process = process;
        DicomPort = dicomPort;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public int DicomPort { get; }

    public HttpClient Http { get; }

    public string Output => _process.Output;

    /// <summary>
    /// Starts Orthanc with <paramref name="settings"/> over the common ones; a <paramref name="luaScript"/> is written
    /// beside the configuration and named in <c>LuaScripts</c>.
    /// </summary>
    public static async Task<OrthancProcess> StartAsync(string name, int dicomPort, JsonObject settings, string? luaScript = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var folder = new TempFolder(name);
        var httpPort = FreePort.Next();
        var config = new JsonObject
        {
            ["Name"] = name,
            ["StorageDirectory"] = folder.Sub("storage"),
            ["IndexDirectory"] = folder.Sub("index"),
            ["HttpPort"] = httpPort,
            [nameof(DicomPort)] = dicomPort,
            ["DicomAet"] = AeTitle,
            ["DicomCheckCalledAet"] = true,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["Plugins"] = new JsonArray(),
        };
        foreach (var (key, value) in settings)
        {
            config[key] = value?.DeepClone();
        }

        if (luaScript is not null)
        {
            var script = Path.Combine(folder.Path, "script.lua");
            await File.WriteAllTextAsync(script, luaScript);
            config["LuaScripts"] = new JsonArray(script);
        }

        var path = Path.Combine(folder.Path, "orthanc.json");
        await File.WriteAllTextAsync(path, config.ToJsonString());
        var orthanc = new OrthancProcess(folder, PeerProcess.Start("Orthanc", path), httpPort, dicomPort);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await orthanc.Http.GetAsync("system");
                if (response.IsSuccessStatusCode)
                {
                    return orthanc;
                }
            }
            catch (HttpRequestException) when (clock.Elapsed < TimeSpan.FromSeconds(30))
            {
            }

            Assert.False(orthanc._process.HasExited, orthanc.Output);
            await Task.Delay(100);
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        _process.Dispose();
        _folder.Dispose();
    }
}
