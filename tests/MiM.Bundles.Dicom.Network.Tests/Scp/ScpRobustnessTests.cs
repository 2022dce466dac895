using System.Buffers.Binary;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>Broken, hostile or vanishing peers: the SCP answers with the right A-ABORT and never crashes or keeps half an instance.</summary>
public sealed class ScpRobustnessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly ProposedPresentationContext Ct = new(1, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian]);

    [Fact]
    public async Task Unknown_pdu_type_is_aborted_as_unrecognized_pdu()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync([0x09, 0, 0, 0, 0, 4, 0, 0, 0, 0]);

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.Abort, abort?.Type);
        Assert.Equal([0, 0, 2, 1], abort!.Value.Body);
        Assert.True(await peer.IsClosedAsync(Wait));
    }

    [Fact]
    public async Task Pdu_claiming_4_gb_is_aborted_as_invalid_parameter_without_allocating_it()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await peer.ReceiveAsync(Wait))?.Type);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await peer.SendAsync([0x04, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.Abort, abort?.Type);
        Assert.Equal([0, 0, 2, 6], abort!.Value.Body);
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 64L << 20, "the SCP allocated for the claimed length");
    }

    [Fact]
    public async Task Association_request_claiming_4_gb_is_aborted_before_any_association()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync([0x01, 0, 0xFF, 0xFF, 0xFF, 0xF0, 0, 1]);

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.Abort, abort?.Type);
        Assert.Equal([0, 0, 2, 6], abort!.Value.Body);
    }

    [Fact]
    public async Task Item_longer_than_its_pdu_is_aborted_as_unrecognized_parameter()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        var request = RawPeer.AssociateRequest("MIMTEST", Ct);

        // The application context item's length (right after the 68 fixed bytes) now points far past the PDU's end.
        BinaryPrimitives.WriteUInt16BigEndian(request.AsSpan(6 + 68 + 2), 60000);
        await peer.SendAsync(request);

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.Abort, abort?.Type);
        Assert.Equal([0, 0, 2, 4], abort!.Value.Body);
    }

    [Fact]
    public async Task Data_before_association_is_aborted_as_unexpected_pdu()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.PData(1, command: true, last: true, [1, 2]));

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal([0, 0, 2, 2], abort!.Value.Body);
    }

    [Fact]
    public async Task Artim_timer_aborts_a_connection_that_never_asks_for_an_association()
    {
        await using var scp = ScpFixture.Start(o => o with { ArtimTimeout = TimeSpan.FromMilliseconds(300) });
        using var peer = await RawPeer.ConnectAsync(scp.Port);

        var abort = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.Abort, abort?.Type);
        Assert.True(await peer.IsClosedAsync(Wait));
    }

    [Fact]
    public async Task Over_the_association_limit_is_rejected_transiently()
    {
        await using var scp = ScpFixture.Start(o => o with { MaximumAssociations = 1 });
        using var first = await RawPeer.ConnectAsync(scp.Port);
        await first.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await first.ReceiveAsync(Wait))?.Type);
        using var second = await RawPeer.ConnectAsync(scp.Port);
        await second.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));

        var reject = await second.ReceiveAsync(Wait);
        Assert.Equal(PduType.AssociateReject, reject?.Type);
        Assert.Equal([0, 2, 3, 2], reject!.Value.Body);
    }

    [Fact]
    public async Task Abort_in_the_middle_of_an_instance_leaves_nothing_on_disk()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        Assert.Equal(PduType.AssociateAccept, (await peer.ReceiveAsync(Wait))?.Type);
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 1,
            AffectedSopClassUid = TestInstances.CtImageStorage,
            AffectedSopInstanceUid = "1.2.826.0.1.3680043.10.9999.5",
            HasDataSet = true,
        };
        await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
        await peer.SendAsync(RawPeer.PData(1, command: false, last: false, new byte[4000]));
        await WaitUntilAsync(() => Directory.EnumerateFiles(Path.Combine(scp.Root, ".partial")).Any());
        await peer.SendAsync(AssociationPduCodec.EncodeAbort(AbortReason.ServiceUser));

        await WaitUntilAsync(() => scp.Scp.ActiveAssociations == 0);
        Assert.Empty(Inbox.InboxFiles.All(scp.Root));
    }

    [Fact]
    public async Task Connection_lost_in_the_middle_of_an_instance_disposes_it_uncommitted()
    {
        var incoming = new Mock<IIncomingInstance>();
        var disposed = new TaskCompletionSource();
        incoming.Setup(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>())).Returns(ValueTask.CompletedTask);
        incoming.Setup(i => i.DisposeAsync()).Returns(ValueTask.CompletedTask).Callback(() => disposed.TrySetResult());
        var store = new Mock<IInstanceStore>();
        store.Setup(s => s.BeginAsync(It.IsAny<IncomingInstanceInfo>(), It.IsAny<CancellationToken>())).ReturnsAsync(incoming.Object);
        await using var scp = ScpFixture.Start(store: store.Object);
        using (var peer = await RawPeer.ConnectAsync(scp.Port))
        {
            await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
            await peer.ReceiveAsync(Wait);
            var command = new DimseCommand
            {
                CommandField = DimseCommandField.CStoreRequest,
                MessageId = 7,
                AffectedSopClassUid = TestInstances.CtImageStorage,
                AffectedSopInstanceUid = "1.2.3",
                HasDataSet = true,
            };
            await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
            await peer.SendAsync(RawPeer.PData(1, command: false, last: false, new byte[100]));
        }

        await disposed.Task.WaitAsync(Wait);
        incoming.Verify(i => i.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        incoming.Verify(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Theory]
    [InlineData(StoreStatus.Stored, DimseStatus.Success)]
    [InlineData(StoreStatus.Duplicate, DimseStatus.Success)]
    [InlineData(StoreStatus.OutOfResources, DimseStatus.OutOfResources)]
    [InlineData(StoreStatus.Failed, DimseStatus.CannotUnderstand)]
    public async Task Store_outcome_is_answered_with_its_dimse_status(StoreStatus outcome, ushort expected)
    {
        var incoming = new Mock<IIncomingInstance>();
        incoming.Setup(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>())).Returns(ValueTask.CompletedTask);
        incoming.Setup(i => i.CommitAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StoreOutcome(outcome, null, outcome == StoreStatus.Stored ? null : "because"));
        var store = new Mock<IInstanceStore>();
        store.Setup(s => s.BeginAsync(It.IsAny<IncomingInstanceInfo>(), It.IsAny<CancellationToken>())).ReturnsAsync(incoming.Object);
        await using var scp = ScpFixture.Start(store: store.Object);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        await peer.ReceiveAsync(Wait);
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 42,
            AffectedSopClassUid = TestInstances.CtImageStorage,
            AffectedSopInstanceUid = "1.2.3",
            HasDataSet = true,
        };
        await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
        await peer.SendAsync(RawPeer.PData(1, command: false, last: true, new byte[10]));

        var response = await peer.ReceiveAsync(Wait);
        Assert.Equal(PduType.DataTransfer, response?.Type);
        var rsp = DimseCommand.Decode(response!.Value.Body.AsSpan(6));
        Assert.Equal(DimseCommandField.CStoreResponse, rsp.CommandField);
        Assert.Equal(42, rsp.MessageIdBeingRespondedTo);
        Assert.Equal(expected, rsp.Status);
        Assert.Equal("1.2.3", rsp.AffectedSopInstanceUid);
    }

    [Fact]
    public async Task Write_failure_is_answered_processing_failure_and_the_association_goes_on()
    {
        var broken = new Mock<IIncomingInstance>();
        broken.Setup(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new IOException("No space left on device"));
        var healthy = new Mock<IIncomingInstance>();
        healthy.Setup(i => i.WriteAsync(It.IsAny<ReadOnlyMemory<byte>>(), It.IsAny<CancellationToken>())).Returns(ValueTask.CompletedTask);
        healthy.Setup(i => i.CommitAsync(It.IsAny<CancellationToken>())).ReturnsAsync(new StoreOutcome(StoreStatus.Stored, "x", null));
        var store = new Mock<IInstanceStore>();
        store.SetupSequence(s => s.BeginAsync(It.IsAny<IncomingInstanceInfo>(), It.IsAny<CancellationToken>())).ReturnsAsync(broken.Object).ReturnsAsync(healthy.Object);
        await using var scp = ScpFixture.Start(store: store.Object);
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        await peer.ReceiveAsync(Wait);
        var statuses = new List<ushort?>();
        foreach (ushort id in (ushort[])[1, 2])
        {
            var command = new DimseCommand
            {
                CommandField = DimseCommandField.CStoreRequest,
                MessageId = id,
                AffectedSopClassUid = TestInstances.CtImageStorage,
                AffectedSopInstanceUid = "1.2." + id,
                HasDataSet = true,
            };
            await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
            await peer.SendAsync(RawPeer.PData(1, command: false, last: false, new byte[10]));
            await peer.SendAsync(RawPeer.PData(1, command: false, last: true, new byte[10]));
            statuses.Add(DimseCommand.Decode((await peer.ReceiveAsync(Wait))!.Value.Body.AsSpan(6)).Status);
        }

        Assert.Equal([DimseStatus.ProcessingFailure, DimseStatus.Success], statuses);
        broken.Verify(i => i.CommitAsync(It.IsAny<CancellationToken>()), Times.Never);
        broken.Verify(i => i.DisposeAsync(), Times.Once);
    }

    [Fact]
    public async Task Store_on_a_context_of_another_sop_class_is_answered_sop_class_not_supported()
    {
        await using var scp = ScpFixture.Start();
        using var peer = await RawPeer.ConnectAsync(scp.Port);
        await peer.SendAsync(RawPeer.AssociateRequest("MIMTEST", Ct));
        await peer.ReceiveAsync(Wait);
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 3,
            AffectedSopClassUid = "1.2.840.10008.5.1.4.1.1.4",
            AffectedSopInstanceUid = "1.2.3",
            HasDataSet = true,
        };
        await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
        await peer.SendAsync(RawPeer.PData(1, command: false, last: true, new byte[10]));

        var response = await peer.ReceiveAsync(Wait);
        Assert.Equal(DimseStatus.SopClassNotSupported, DimseCommand.Decode(response!.Value.Body.AsSpan(6)).Status);
        Assert.Empty(scp.StoredFiles());
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Wait, "condition not reached in time");
            await Task.Delay(20);
        }
    }
}
