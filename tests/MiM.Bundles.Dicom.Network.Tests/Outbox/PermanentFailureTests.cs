using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Outbox;

/// <summary>Statuses no retry fixes dead-letter a job at once; transient ones keep it retrying (PS3.7 C.4, PS3.4 B.2.3).</summary>
public sealed class PermanentFailureTests : IDisposable
{
    private static readonly DicomDestination Pacs = new("refusing", "PACS", "127.0.0.1", 11112);
    private readonly TempFolder _temp = new("outbox-permanent");
    private readonly FakeTimeProvider _clock = new();
    private readonly Mock<IDicomSender> _sender = new();
    private readonly List<IReadOnlyList<string>> _calls = [];

    public void Dispose() => _temp.Dispose();

    private DicomOutbox Open(IDicomSender? sender = null, DicomDestination? destination = null) => new(
        new OutboxOptions { Root = Path.Combine(_temp.Path, "outbox"), RetryBaseDelay = TimeSpan.FromSeconds(10), MaxAttempts = 5, JitterFraction = 0 },
        [destination ?? Pacs],
        sender ?? _sender.Object,
        _clock);

    private List<string> Results(int count)
    {
        var folder = _temp.Sub("results");
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var path = Path.Combine(folder, $"{i}.dcm");
            File.WriteAllBytes(path, [(byte)i]);
            return path;
        })];
    }

    /// <summary>The sender answers file n (by content) with <paramref name="status"/>(n, call number).</summary>
    private void Answers(Func<byte, int, ushort> status) =>
        _sender.Setup(s => s.SendAsync(It.IsAny<DicomDestination>(), It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DicomDestination _, IReadOnlyList<string> files, CancellationToken _) =>
            {
                _calls.Add([.. files]);
                return [.. files.Select(f => new FileSendOutcome(f, status(File.ReadAllBytes(f)[0], _calls.Count), null))];
            });

    [Theory]
    [InlineData(0x0122)]
    [InlineData(0x0124)]
    [InlineData(0x0211)]
    [InlineData(0xA900)]
    [InlineData(0xA9FF)]
    [InlineData(0xC000)]
    [InlineData(0xC123)]
    public async Task Status_no_retry_fixes_dead_letters_the_job_after_one_attempt(int status)
    {
        Answers((_, _) => (ushort)status);
        var outbox = Open();
        var job = await outbox.EnqueueAsync("refusing", Results(2), default);

        Assert.Null(await outbox.ProcessDueAsync("refusing", default));

        Assert.Single(_calls);
        Assert.Equal(1, outbox.DeadLettered);
        var reason = File.ReadAllText(Path.Combine(outbox.DeadLetterFolder("refusing", job), "reason.txt"));
        Assert.Contains("no retry can fix", reason, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"0x{status:X4}"), reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xA700)]
    [InlineData(0xA7FF)]
    [InlineData(0x0110)]
    [InlineData(0x0213)]
    public async Task Transient_status_keeps_the_job_retrying(int status)
    {
        Answers((_, _) => (ushort)status);
        var outbox = Open();
        await outbox.EnqueueAsync("refusing", Results(1), default);

        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.NotNull(await outbox.ProcessDueAsync("refusing", default));
            _clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(0, outbox.DeadLettered);
        Assert.Equal(3, _calls.Count);
    }

    [Fact]
    public async Task Permanently_refused_file_is_not_resent_while_the_transient_ones_retry_and_the_job_is_dead_lettered_when_they_are_done()
    {
        // File 0 cannot be understood; file 1 meets a full disk once, then is stored.
        Answers((n, call) => n == 0 ? (ushort)0xC000 : call == 1 ? (ushort)0xA700 : (ushort)0x0000);
        var outbox = Open();
        var job = await outbox.EnqueueAsync("refusing", Results(2), default);

        Assert.NotNull(await outbox.ProcessDueAsync("refusing", default));
        _clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(await outbox.ProcessDueAsync("refusing", default));

        Assert.Equal(["0001.dcm"], _calls[1].Select(Path.GetFileName));
        Assert.Equal((1L, 1L), (outbox.DeadLettered, outbox.DeliveredFiles));
        var reason = File.ReadAllText(Path.Combine(outbox.DeadLetterFolder("refusing", job), "reason.txt"));
        Assert.Contains("0000.dcm (NOT delivered, no retry can fix it", reason, StringComparison.Ordinal);
        Assert.Contains("0001.dcm (delivered", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Storescp_that_does_not_support_the_sop_class_dead_letters_the_job_after_one_attempt()
    {
        var config = Path.Combine(_temp.Path, "mr-only.cfg");
        File.WriteAllText(config, """
            [[TransferSyntaxes]]
            [Uncompressed]
            TransferSyntax1 = LocalEndianExplicit
            TransferSyntax2 = LittleEndianImplicit

            [[PresentationContexts]]
            [MrOnly]
            PresentationContext1 = MRImageStorage\Uncompressed

            [[Profiles]]
            [MrOnly]
            PresentationContexts = MrOnly

            """);
        var port = FreePort.Next();
        using var storescp = PeerProcess.Start("storescp", "-xf", config, "MrOnly", "-aet", "STORESCP", "-od", _temp.Sub("received"), port.ToString(CultureInfo.InvariantCulture));
        WaitForPort(port);
        var files = TestInstances.MakeCt(_temp.Sub("ct"), 2);
        var outbox = Open(new DicomScu(new DicomScuOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }), new DicomDestination("refusing", "STORESCP", "127.0.0.1", port));
        var job = await outbox.EnqueueAsync("refusing", files, default);

        Assert.Null(await outbox.ProcessDueAsync("refusing", default));

        Assert.Equal((1L, 1L), (outbox.DeadLettered, outbox.FailedAttempts));
        var reason = File.ReadAllText(Path.Combine(outbox.DeadLetterFolder("refusing", job), "reason.txt"));
        Assert.Contains("attempts: 1", reason, StringComparison.Ordinal);
        Assert.Contains("no presentation context", reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_temp.Path, "received")));
    }

    private static void WaitForPort(int port)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException) when (clock.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(50);
            }
        }
    }
}
