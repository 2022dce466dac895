using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scp;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Outbox;

/// <summary>Files the destination acknowledged before an association broke are never sent again.</summary>
public sealed class OutboxPartialDeliveryTests : IDisposable
{
    private readonly TempFolder _temp = new("outbox-partial");
    private readonly FakeTimeProvider _clock = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Files_acknowledged_before_the_peer_aborted_are_not_resent_on_the_next_attempt()
    {
        var files = TestInstances.MakeCt(_temp.Sub("results"), 4);
        var inbox = new DurableInbox(new InboxOptions { Root = _temp.Sub("inbox"), MinimumFreeBytes = 0 });
        var store = new AbortingStore(inbox, abortOnBegin: 3);
        var scp = new DicomScp(new DicomScpOptions { AeTitle = "MIMTEST", Port = 0, BindAddress = IPAddress.Loopback }, store);
        scp.Start();
        await using (scp)
        {
            var destination = new DicomDestination("scp", "MIMTEST", "127.0.0.1", scp.LocalEndPoint.Port);
            var outbox = new DicomOutbox(
                new OutboxOptions { Root = _temp.Sub("outbox"), RetryBaseDelay = TimeSpan.FromSeconds(10), JitterFraction = 0 },
                [destination],
                new DicomScu(),
                _clock);
            await outbox.EnqueueAsync("scp", files, default);

            // Attempt 1: two files acknowledged, then the SCP aborts while the third begins.
            Assert.NotNull(await outbox.ProcessDueAsync("scp", default));
            Assert.Equal(2, outbox.DeliveredFiles);

            _clock.Advance(TimeSpan.FromSeconds(10));
            Assert.Null(await outbox.ProcessDueAsync("scp", default));

            Assert.Equal((1L, 4L), (outbox.DeliveredJobs, outbox.DeliveredFiles));
            var uids = files.Select(TestInstances.SopInstanceUidOf).ToList();
            Assert.Equal([1, 1, 2, 1], uids.Select(u => store.Begun.GetValueOrDefault(u)));
            Assert.Equal(0, inbox.DuplicateCount);
            Assert.Equal(4, inbox.Count);
        }
    }

    [Fact]
    public async Task Outbox_marks_the_outcomes_carried_by_a_network_failure_as_delivered()
    {
        var sender = new Mock<IDicomSender>();
        var calls = new List<IReadOnlyList<string>>();
        var results = _temp.Sub("r");
        var files = Enumerable.Range(0, 3).Select(i => Path.Combine(results, $"{i}.dcm")).ToList();
        files.ForEach(f => File.WriteAllBytes(f, [1, 2]));
        sender.Setup(s => s.SendAsync(It.IsAny<DicomDestination>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .Returns((DicomDestination _, IReadOnlyList<string> f, CancellationToken _) =>
            {
                calls.Add([.. f]);
                return calls.Count == 1
                    ? throw new DicomNetworkException("peer aborted the association", new IOException("reset"), [new FileSendOutcome(f[0], 0x0000, null)])
                    : Task.FromResult<IReadOnlyList<FileSendOutcome>>([.. f.Select(p => new FileSendOutcome(p, 0x0000, null))]);
            });
        var outbox = new DicomOutbox(new OutboxOptions { Root = _temp.Sub("outbox2"), JitterFraction = 0 }, [new DicomDestination("partial", "PACS", "127.0.0.1", 104)], sender.Object, _clock);
        await outbox.EnqueueAsync("partial", files, default);

        await outbox.ProcessDueAsync("partial", default);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await outbox.ProcessDueAsync("partial", default);

        Assert.Equal(2, calls.Count);
        Assert.Equal(3, calls[0].Count);
        Assert.Equal(["0001.dcm", "0002.dcm"], calls[1].Select(Path.GetFileName));
        Assert.Equal(1, outbox.DeliveredJobs);
    }

    /// <summary>The inbox, except that the n-th instance begun fails in a way the SCP answers with an A-ABORT.</summary>
    private sealed class AbortingStore(IInstanceStore inner, int abortOnBegin) : IInstanceStore
    {
        private int _begun;

        public ConcurrentDictionary<string, int> Begun { get; } = new(StringComparer.Ordinal);

        public ValueTask<IIncomingInstance> BeginAsync(IncomingInstanceInfo info, CancellationToken cancellationToken)
        {
            Begun.AddOrUpdate(info.SopInstanceUid, 1, (_, n) => n + 1);
            return Interlocked.Increment(ref _begun) == abortOnBegin
                ? throw new InvalidOperationException("store broke")
                : inner.BeginAsync(info, cancellationToken);
        }
    }
}
