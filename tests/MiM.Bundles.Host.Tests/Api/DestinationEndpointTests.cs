using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Host.Tests.Api;

public sealed class DestinationEndpointTests
{
    [Fact]
    public async Task Destinations_are_listed_as_configured()
    {
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(), [new DestinationOptions { Name = "pacs", AeTitle = "ORTHANC", Host = "10.0.0.9", Port = 4242 }]);

        var list = await api.GetJsonAsync("/api/destinations");

        var pacs = Assert.Single(list.EnumerateArray());
        Assert.Equal("ORTHANC", pacs.GetProperty("aeTitle").GetString());
        Assert.Equal(4242, pacs.GetProperty("port").GetInt32());
    }

    [Fact]
    public async Task Echo_of_a_listening_dcmtk_storescp_succeeds_and_of_a_closed_port_is_502()
    {
        using var temp = new TempFolder("api-echo");
        var port = FreePort.Next();
        var closed = FreePort.Next();
        using var storescp = PeerProcess.Start("storescp", "--aetitle", "DEST", "--output-directory", temp.Path, port.ToString(CultureInfo.InvariantCulture));
        await using var api = await ApiFixture.StartAsync(ApiFixture.Loopback(),
        [
            new DestinationOptions { Name = "pacs", AeTitle = "DEST", Host = "127.0.0.1", Port = port },
            new DestinationOptions { Name = "down", AeTitle = "DEST", Host = "127.0.0.1", Port = closed },
        ]);

        // storescp prints nothing when it starts listening: ask until it answers (or 20 s pass).
        HttpResponseMessage? up = null;
        for (var attempt = 0; attempt < 40 && up?.StatusCode != HttpStatusCode.OK; attempt++)
        {
            up?.Dispose();
            if (attempt > 0)
            {
                await Task.Delay(500);
            }

            up = await api.Client.PostAsync(new Uri("/api/destinations/pacs/echo", UriKind.Relative), null);
        }

        using var down = await api.Client.PostAsync(new Uri("/api/destinations/down/echo", UriKind.Relative), null);
        using var unknown = await api.Client.PostAsync(new Uri("/api/destinations/nowhere/echo", UriKind.Relative), null);

        using (up)
        {
            Assert.Equal(HttpStatusCode.OK, up!.StatusCode);
            var outcome = await up.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json);
            Assert.True(outcome.GetProperty("success").GetBoolean());
            Assert.Equal(0, outcome.GetProperty("status").GetInt32());
        }

        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
        Assert.False((await down.Content.ReadFromJsonAsync<JsonElement>(ApiFixture.Json)).GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
