using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace MiM.Bundles.Dicom.Tests.Peers;

/// <summary>
/// A private Orthanc (plain process, free ports, storage and index in a temp folder, no plugins) for one test class;
/// <see cref="Store"/> POSTs a file to /instances and returns Orthanc's answer.
/// </summary>
public sealed class OrthancServer : IDisposable
{
    private const string Executable = "/usr/sbin/Orthanc";
    private readonly Process _process;
    private readonly string _folder;
    private readonly HttpClient _http;

    public OrthancServer()
    {
        Assert.True(File.Exists(Executable), $"{Executable} is missing: run scripts/install-peers.sh (orthanc)");
        _folder = Directory.CreateTempSubdirectory("mim-orthanc-").FullName;
        var httpPort = FreePort();
        var config = Path.Combine(_folder, "config.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Name"] = "mim-tests",
            ["StorageDirectory"] = Path.Combine(_folder, "storage"),
            ["IndexDirectory"] = Path.Combine(_folder, "index"),
            ["HttpPort"] = httpPort,
            ["DicomPort"] = FreePort(),
            ["DicomServerEnabled"] = false,
            ["RemoteAccessAllowed"] = false,
            ["AuthenticationEnabled"] = false,
            ["Plugins"] = Array.Empty<string>(),
        }));
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(config);
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(_process.HasExited, $"Orthanc exited with {(_process.HasExited ? _process.ExitCode : 0)} before answering");
            try
            {
                if (_http.GetAsync(new Uri("system", UriKind.Relative)).GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "Orthanc did not answer /system within 30 s");
            Thread.Sleep(100);
        }
    }

    /// <summary>POST /instances with the file; returns the HTTP status and the JSON answer.</summary>
    public (HttpStatusCode Status, JsonElement Answer) Store(string file)
    {
        using var content = new ByteArrayContent(File.ReadAllBytes(file));
        var response = _http.PostAsync(new Uri("instances", UriKind.Relative), content).GetAwaiter().GetResult();
        return (response.StatusCode, Parse(response));
    }

    /// <summary>GET a REST resource as JSON.</summary>
    public JsonElement Get(string resource)
    {
        var response = _http.GetAsync(new Uri(resource, UriKind.Relative)).GetAwaiter().GetResult();
        Assert.True(response.IsSuccessStatusCode, $"GET {resource}: {response.StatusCode}");
        return Parse(response);
    }

    public void Dispose()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static JsonElement Parse(HttpResponseMessage response)
    {
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
        using var json = JsonDocument.Parse(text.Length == 0 ? "null" : text);
        return json.RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
