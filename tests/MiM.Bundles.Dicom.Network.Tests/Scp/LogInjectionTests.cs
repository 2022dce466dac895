using System.Net;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Network.Tests.Outbox;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Scp;

/// <summary>What a peer chooses (AE titles, UIDs, error comments) reaches a log line escaped and capped: no forged lines.</summary>
public sealed class LogInjectionTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private const string Forged = "\r\n2025-01-01 INFO forged: admin logged in\u001b[2J\u2028";
    private readonly TempFolder _temp = new("log-injection");

    public void Dispose() => _temp.Dispose();

    private static void AssertClean(IEnumerable<string> messages)
    {
        foreach (var message in messages)
        {
            Assert.DoesNotContain(message, c => char.IsControl(c) || c is '\u2028' or '\u2029');
            Assert.True(message.Length < 2000, $"a log line of {message.Length} characters");
        }
    }

    private static string[] Messages<T>(RecordingLogger<T> log)
    {
        lock (log.Entries)
        {
            return [.. log.Entries.Select(e => e.Message)];
        }
    }

    [Fact]
    public async Task Control_characters_and_huge_values_from_a_peer_are_escaped_and_capped_in_scp_and_inbox_logs()
    {
        var scpLog = new RecordingLogger<DicomScp>();
        var inboxLog = new RecordingLogger<DurableInbox>();
        var inbox = new DurableInbox(new InboxOptions { Root = _temp.Sub("inbox"), MinimumFreeBytes = 0 }, inboxLog);
        var scp = new DicomScp(new DicomScpOptions { AeTitle = "MIMTEST", Port = 0, BindAddress = IPAddress.Loopback }, inbox, scpLog);
        scp.Start();
        await using (scp)
        {
            using var peer = await RawPeer.ConnectAsync(scp.LocalEndPoint.Port);
            var request = new AssociateRequest(
                "MIMTEST",
                "EV\r\nIL\u001b[2J",
                DicomUids.ApplicationContext,
                [new ProposedPresentationContext(1, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian])],
                new UserInformation(16384, "1.2.3.4", "RAW"));
            await peer.SendAsync(AssociationPduCodec.EncodeRequest(request));
            Assert.Equal(PduType.AssociateAccept, (await peer.ReceiveAsync(Wait))?.Type);
            var uid = "1.2.3" + Forged + new string('9', 6000);
            var command = new DimseCommand
            {
                CommandField = DimseCommandField.CStoreRequest,
                MessageId = 1,
                AffectedSopClassUid = TestInstances.CtImageStorage,
                AffectedSopInstanceUid = uid.Length % 2 == 0 ? uid : uid + "9",
                HasDataSet = true,
            };
            await peer.SendAsync(RawPeer.PData(1, command: true, last: true, command.Encode()));
            await peer.SendAsync(RawPeer.PData(1, command: false, last: true, new byte[10]));
            var response = await peer.ReceiveAsync(Wait);
            Assert.NotEqual(DimseStatus.Success, DimseCommand.Decode(response!.Value.Body.AsSpan(6)).Status);
            await peer.SendAsync(AssociationPduCodec.EncodeReleaseRequest());
            Assert.Equal(PduType.ReleaseResponse, (await peer.ReceiveAsync(Wait))?.Type);
        }

        var all = Messages(scpLog).Concat(Messages(inboxLog)).ToList();
        Assert.Contains(all, m => m.Contains(@"EV\x0D\x0AIL\x1B[2J", StringComparison.Ordinal));
        Assert.Contains(all, m => m.Contains("forged", StringComparison.Ordinal));
        AssertClean(all);
    }

    [Fact]
    public async Task Error_comment_from_a_destination_is_escaped_in_outbox_logs_and_the_dead_letter_reason()
    {
        var log = new RecordingLogger<DicomOutbox>();
        var sender = new Mock<IDicomSender>();
        sender.Setup(s => s.SendAsync(It.IsAny<DicomDestination>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DicomDestination _, IReadOnlyList<string> f, CancellationToken _) => [.. f.Select(p => new FileSendOutcome(p, 0xA701, "full" + Forged + new string('x', 5000)))]);
        var file = Path.Combine(_temp.Path, "r.dcm");
        File.WriteAllBytes(file, [1]);
        var clock = new FakeTimeProvider();
        var outbox = new DicomOutbox(new OutboxOptions { Root = _temp.Sub("outbox"), MaxAttempts = 2, JitterFraction = 0 }, [new DicomDestination("injected", "PACS", "127.0.0.1", 104)], sender.Object, clock, log);
        var job = await outbox.EnqueueAsync("injected", [file], default);

        await outbox.ProcessDueAsync("injected", default);
        clock.Advance(TimeSpan.FromHours(1));
        await outbox.ProcessDueAsync("injected", default);

        Assert.Equal(1, outbox.DeadLettered);
        AssertClean(Messages(log));
        var reason = File.ReadAllLines(Path.Combine(outbox.DeadLetterFolder("injected", job), "reason.txt"));
        Assert.DoesNotContain(reason, line => line.StartsWith("2025-01-01", StringComparison.Ordinal));
        Assert.Single(reason, line => line.StartsWith("last error:", StringComparison.Ordinal));
    }
}
