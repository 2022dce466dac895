using System.Net;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Scp;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>Our storage SCP on a free loopback port, storing into a <see cref="DurableInbox"/> in a temporary folder.</summary>
internal sealed class ScpFixture : IAsyncDisposable
{
    private ScpFixture(DicomScp scp, DurableInbox inbox, string root)
    {
        Scp = scp;
        Inbox = inbox;
        Root = root;
    }

    public DicomScp Scp { get; }

    public DurableInbox Inbox { get; }

    public string Root { get; }

    public int Port => Scp.LocalEndPoint.Port;

    public static ScpFixture Start(Func<DicomScpOptions, DicomScpOptions>? configure = null, IInstanceStore? store = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "mim-scp-" + Guid.NewGuid().ToString("N"));
        var inbox = new DurableInbox(new InboxOptions { Root = root, MinimumFreeBytes = 0 });
        var options = new DicomScpOptions { AeTitle = "MIMTEST", Port = 0, BindAddress = IPAddress.Loopback, ArtimTimeout = TimeSpan.FromSeconds(5) };
        var scp = new DicomScp(configure?.Invoke(options) ?? options, store ?? inbox);
        scp.Start();
        return new ScpFixture(scp, inbox, root);
    }

    public string[] StoredFiles() => Directory.GetFiles(Inbox.InstancesFolder, "*", SearchOption.AllDirectories);

    public string[] StoredSopInstanceUids() => [.. StoredFiles().Select(TestInstances.SopInstanceUidOf).Order(StringComparer.Ordinal)];

    public async ValueTask DisposeAsync()
    {
        await Scp.DisposeAsync();
        Inbox.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
