using System.Net.Http.Json;
using System.Text.Json;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Dicom.Network.Tests.Scu;

/// <summary>Orthanc as the other side, both ways: our SCU stores into it, it stores into our SCP.</summary>
public sealed class ScuOrthancTests
{
    [Fact]
    public async Task Our_scu_stores_into_orthanc_and_orthanc_keeps_the_same_data_sets()
    {
        using var temp = new TempFolder("orthanc-in");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 5);
        files.Add(Path.Combine(TestInstances.PydicomTestFiles, "liver_1frame.dcm"));
        using var orthanc = await OrthancPeer.StartAsync();
        var destination = new DicomDestination("orthanc", OrthancPeer.AeTitle, "127.0.0.1", orthanc.DicomPort, "MIMSCU");

        Assert.Equal(0, await new DicomScu().EchoAsync(destination, default));
        var outcomes = await new DicomScu().SendAsync(destination, files, default);

        Assert.All(outcomes, o => Assert.True(o.Delivered, $"{o.FilePath}: {o.Status:X4} {o.Error}"));
        Assert.Equal(files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal), await orthanc.SopInstanceUidsAsync());
        var copy = Path.Combine(temp.Path, "from-orthanc.dcm");
        await File.WriteAllBytesAsync(copy, await orthanc.FileAsync(TestInstances.SopInstanceUidOf(files[^1])));
        PydicomComparison.AssertSameDataSet(files[^1], copy);
    }

    [Fact]
    public async Task Orthanc_wrong_called_ae_is_rejected_by_orthanc()
    {
        using var orthanc = await OrthancPeer.StartAsync();

        await Assert.ThrowsAsync<DicomNetworkException>(() => new DicomScu().EchoAsync(new DicomDestination("orthanc", "NOTORTHANC", "127.0.0.1", orthanc.DicomPort), default));
    }

    [Fact]
    public async Task Orthanc_stores_into_our_scp_through_its_rest_api()
    {
        using var temp = new TempFolder("orthanc-out");
        var files = TestInstances.MakeCt(temp.Sub("ct"), 8);
        await using var scp = ScpFixture.Start();
        using var orthanc = await OrthancPeer.StartAsync(("mim", "MIMTEST", scp.Port));
        var ids = new List<string>();
        foreach (var file in files)
        {
            ids.Add(await orthanc.UploadAsync(file));
        }

        using var echo = await orthanc.Http.PostAsync("modalities/mim/echo", new StringContent("{}"));
        Assert.True(echo.IsSuccessStatusCode, await echo.Content.ReadAsStringAsync());
        using var store = await orthanc.Http.PostAsJsonAsync("modalities/mim/store", ids);
        var body = await store.Content.ReadAsStringAsync();

        Assert.True(store.IsSuccessStatusCode, body);
        Assert.Equal(8, JsonDocument.Parse(body).RootElement.GetProperty("InstancesCount").GetInt32());
        Assert.Equal(files.Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal), scp.StoredSopInstanceUids());
        PydicomComparison.AssertSameDataSet(files[0], scp.Inbox.Find(TestInstances.SopInstanceUidOf(files[0]))!);
    }
}
