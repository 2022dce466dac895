using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Moq;
using static MiM.Bundles.Dicom.Network.Tests.Inbox.ImplicitDataSet;

namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

/// <summary>A full disk is "out of resources" (A700); a read error is a retryable failure, never a trip to failed/.</summary>
public sealed class StorageErrorTests : IDisposable
{
    private const string Study = "1.2.826.0.1.1";
    private const string Series = "1.2.826.0.1.1.2";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempFolder _temp = new("storage-errors");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Transient_read_error_while_parsing_the_header_is_not_a_failed_instance_and_the_retry_stores_it()
    {
        var failing = true;
        Stream OpenRead(string path) => failing ? new FailingReadStream(File.OpenRead(path)) : File.OpenRead(path);
        using var inbox = new DurableInbox(new InboxOptions { Root = _temp.Path, MinimumFreeBytes = 0, OpenRead = OpenRead });

        await Assert.ThrowsAsync<IOException>(() => StoreAsync(inbox, Study, Series, "1.2.7"));

        Assert.Equal(0, inbox.FailedCount);
        Assert.False(Directory.Exists(inbox.FailedFolder) && Directory.EnumerateFileSystemEntries(inbox.FailedFolder).Any());
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_temp.Path, ".partial")));
        failing = false;
        Assert.Equal(StoreStatus.Stored, (await StoreAsync(inbox, Study, Series, "1.2.7")).Status);
    }

    [Fact]
    public async Task Malformed_header_still_goes_to_failed()
    {
        using var inbox = new DurableInbox(new InboxOptions { Root = _temp.Path, MinimumFreeBytes = 0, OpenRead = File.OpenRead });

        var outcome = await StoreAsync(inbox, [0x08, 0x00, 0x18, 0x00, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2], "1.2.8");

        Assert.Equal(StoreStatus.Failed, outcome.Status);
        Assert.Equal(1, inbox.FailedCount);
    }

    [Theory]
    [InlineData("begin")]
    [InlineData("write")]
    [InlineData("commit")]
    public async Task Disk_full_while_storing_is_answered_out_of_resources(string where)
    {
        var diskFull = new IOException("No space left on device", 28);
        var incoming = new Mock<IIncomingInstance>();
        var write = incoming.Setup(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()));
        if (where == "write")
        {
            write.ThrowsAsync(diskFull);
        }
        else
        {
            write.Returns(ValueTask.CompletedTask);
        }

        var commit = incoming.Setup(i => i.CommitAsync(It.IsAny<CancellationToken>()));
        if (where == "commit")
        {
            commit.ThrowsAsync(new IOException("flush failed", diskFull));
        }
        else
        {
            commit.ReturnsAsync(new StoreOutcome(StoreStatus.Stored, "x", null));
        }

        var store = new Mock<IInstanceStore>();
        var begin = store.Setup(s => s.BeginAsync(It.IsAny<IncomingInstanceInfo>(), It.IsAny<CancellationToken>()));
        if (where == "begin")
        {
            begin.ThrowsAsync(diskFull);
        }
        else
        {
            begin.ReturnsAsync(incoming.Object);
        }

        await using var scp = ScpFixture.Start(store: store.Object);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", new ProposedPresentationContext(1, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian])));
        await peer.ReceiveAsync(Wait);
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 5,
            AffectedSopClassUid = TestInstances.CtImageStorage,
            AffectedSopInstanceUid = "1.2.3",
            HasDataSet = true,
        };
        await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
        await peer.SendAsync(RawPeer.PData(1, command: false, last: true, new byte[10]));

        var response = await peer.ReceiveAsync(Wait);
        Assert.Equal(DimseStatus.OutOfResources, DimseCommand.Decode(response!.Value.Body.AsSpan(6)).Status);
    }

    /// <summary>A file whose first read fails as a flaky disk or network share would (EIO).</summary>
    private sealed class FailingReadStream(FileStream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => true;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count) => throw new IOException("Input/output error", 5);

        public override int Read(Span<byte> buffer) => throw new IOException("Input/output error", 5);

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
