using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Inbox;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

public sealed class DurableInboxTests : IDisposable
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private const string ImplicitLittleEndian = "1.2.840.10008.1.2";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mim-inbox-" + Guid.NewGuid().ToString("N"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Committed_instance_is_a_readable_part10_file_with_the_received_bytes()
    {
        var inbox = new DurableInbox(new InboxOptions { Root = _root, MinimumFreeBytes = 0 });
        // (0008,0018) UI "1.2.3" in implicit VR little endian, padded to even length with a NUL.
        byte[] dataSet = [0x08, 0x00, 0x18, 0x00, 0x06, 0x00, 0x00, 0x00, (byte)'1', (byte)'.', (byte)'2', (byte)'.', (byte)'3', 0];
        await using var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "1.2.3", ImplicitLittleEndian, "SENDER", "MIM"), default);
        await incoming.WriteAsync(dataSet, default);
        var outcome = await incoming.CommitAsync(default);

        Assert.Equal(StoreStatus.Stored, outcome.Status);
        var file = DicomFile.Open(outcome.FilePath!);
        Assert.Equal("1.2.3", file.Dataset.GetUid(Core.DicomTag.SopInstanceUid));
        Assert.Equal(ImplicitLittleEndian, file.TransferSyntax.Uid);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, ".partial")));
    }

    [Fact]
    public async Task Instance_disposed_without_commit_leaves_no_file()
    {
        var inbox = new DurableInbox(new InboxOptions { Root = _root, MinimumFreeBytes = 0 });
        await using (var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "1.2.4", ImplicitLittleEndian, "SENDER", "MIM"), default))
        {
            await incoming.WriteAsync(new byte[100], default);
        }

        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Sop_instance_uid_that_is_not_a_uid_is_refused_and_never_becomes_a_path()
    {
        var inbox = new DurableInbox(new InboxOptions { Root = _root, MinimumFreeBytes = 0 });
        await using var incoming = await inbox.BeginAsync(new IncomingInstanceInfo(CtImageStorage, "../../etc/x", ImplicitLittleEndian, "SENDER", "MIM"), default);
        var outcome = await incoming.CommitAsync(default);

        Assert.Equal(StoreStatus.Failed, outcome.Status);
        Assert.Empty(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories));
    }
}
