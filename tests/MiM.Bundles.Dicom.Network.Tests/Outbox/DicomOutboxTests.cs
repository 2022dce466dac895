using System.Diagnostics.Metrics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MiM.Bundles.Dicom.Network.Outbox;
using Moq;

namespace MiM.Bundles.Dicom.Network.Tests.Outbox;

public sealed class DicomOutboxTests : IDisposable
{
    private static readonly DicomDestination Pacs = new("pacs", "PACS", "127.0.0.1", 11112);
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mim-outbox-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider _clock = new();
    private readonly Mock<IDicomSender> _sender = new();
    private readonly List<IReadOnlyList<string>> _sent = [];
    private readonly RecordingLogger<DicomOutbox> _log = new();

    public DicomOutboxTests() => Directory.CreateDirectory(Path.Combine(_root, "results"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string OutboxRoot => Path.Combine(_root, "outbox");

    private DicomOutbox Open(int maxAttempts = 4, bool keepSent = false, TimeProvider? clock = null) => new(
        new OutboxOptions { Root = OutboxRoot, RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromSeconds(40), MaxAttempts = maxAttempts, JitterFraction = 0, KeepSent = keepSent },
        [Pacs],
        _sender.Object,
        clock ?? _clock,
        _log);

    private List<string> Results(int count, string tag = "r")
    {
        var files = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var path = Path.Combine(_root, "results", $"{tag}{i}.dcm");
            File.WriteAllBytes(path, [(byte)i, 1, 2, 3]);
            files.Add(path);
        }

        return files;
    }

    /// <summary>The sender answers each file with the status <paramref name="status"/> gives for its position in the whole job (by content).</summary>
    private void SenderAnswers(Func<byte, ushort?> status) =>
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DicomDestination _, IReadOnlyList<string> files, CancellationToken _) =>
            {
                _sent.Add([.. files]);
                return [.. files.Select(f => new FileSendOutcome(f, status(File.ReadAllBytes(f)[0]), null))];
            });

    private void SenderCannotConnect() =>
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .Callback<DicomDestination, IReadOnlyList<string>, CancellationToken>((_, files, _) => _sent.Add([.. files]))
            .ThrowsAsync(new DicomNetworkException("connection refused by 127.0.0.1:11112"));

    [Fact]
    public async Task Enqueued_job_is_on_disk_with_its_files_and_manifest_before_enqueue_returns()
    {
        var outbox = Open();
        var files = Results(3);

        var job = await outbox.EnqueueAsync("pacs", files, default);
        foreach (var file in files)
        {
            File.Delete(file); // the writer may clean up at once: the outbox holds its own names for the data
        }

        var folder = outbox.JobFolder("pacs", job);
        Assert.Equal(Path.Combine(OutboxRoot, "pacs", job), folder);
        Assert.Equal(["0000.dcm", "0001.dcm", "0002.dcm", "manifest.json"], Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order());
        Assert.Equal([(byte)1, 1, 2, 3], File.ReadAllBytes(Path.Combine(folder, "0001.dcm")));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "manifest.json")));
        Assert.Equal(0, manifest.RootElement.GetProperty("Attempts").GetInt32());
        Assert.Equal(3, manifest.RootElement.GetProperty("Files").GetArrayLength());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(OutboxRoot, ".incoming")));
        Assert.Equal([job], outbox.PendingJobs("pacs"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Copied_job_is_immune_to_its_writer_rewriting_the_file_and_a_linked_one_shares_it(bool hardLink)
    {
        var outbox = new DicomOutbox(new OutboxOptions { Root = OutboxRoot, HardLinkFiles = hardLink }, [Pacs], _sender.Object, _clock);
        var file = Results(1)[0];
        var job = await outbox.EnqueueAsync("pacs", [file], default);

        File.WriteAllBytes(file, [42, 42]); // truncates and rewrites the same inode

        var queued = File.ReadAllBytes(Path.Combine(outbox.JobFolder("pacs", job), "0000.dcm"));
        Assert.Equal(hardLink ? [42, 42] : new byte[] { 0, 1, 2, 3 }, queued);
    }

    [Fact]
    public async Task Enqueue_for_an_unknown_destination_is_refused()
    {
        var outbox = Open();
        await Assert.ThrowsAsync<ArgumentException>(() => outbox.EnqueueAsync("nowhere", Results(1), default));
    }

    [Fact]
    public async Task Delivered_job_is_removed_or_kept_under_sent_when_configured()
    {
        SenderAnswers(_ => 0x0000);
        var outbox = Open();
        var job = await outbox.EnqueueAsync("pacs", Results(2), default);
        Assert.Null(await outbox.ProcessDueAsync("pacs", default));
        Assert.False(Directory.Exists(outbox.JobFolder("pacs", job)));
        Assert.Equal((1L, 2L), (outbox.DeliveredJobs, outbox.DeliveredFiles));

        var keeping = Open(keepSent: true);
        var kept = await keeping.EnqueueAsync("pacs", Results(1, "k"), default);
        await keeping.ProcessDueAsync("pacs", default);
        Assert.True(File.Exists(Path.Combine(OutboxRoot, "sent", "pacs", kept, "0000.dcm")));
        Assert.Empty(keeping.PendingJobs("pacs"));
    }

    [Fact]
    public async Task Each_job_that_leaves_the_queue_is_announced_once_delivered_or_dead_lettered_with_its_error()
    {
        var outcomes = new List<OutboxJobOutcome>();
        SenderAnswers(b => b == 0 ? (ushort)0x0000 : (ushort)0x0122);
        var outbox = Open(maxAttempts: 1);
        outbox.JobDelivered += (_, e) => outcomes.Add(e);
        outbox.JobDeadLettered += (_, e) => outcomes.Add(e);
        var delivered = await outbox.EnqueueAsync("pacs", Results(1, "a"), default);
        await outbox.ProcessDueAsync("pacs", default);
        var refused = await outbox.EnqueueAsync("pacs", [Results(2, "b")[1]], default);
        await outbox.ProcessDueAsync("pacs", default);
        await outbox.ProcessDueAsync("pacs", default);

        Assert.Equal(2, outcomes.Count);
        Assert.Equal(new OutboxJobOutcome("pacs", delivered, null), outcomes[0]);
        Assert.Equal(("pacs", refused), (outcomes[1].Destination, outcomes[1].Job));
        Assert.NotNull(outcomes[1].Error);
        Assert.True(Directory.Exists(outbox.DeadLetterFolder("pacs", refused)));
    }

    [Fact]
    public async Task Failed_attempts_are_retried_on_an_exponential_schedule_capped_at_the_maximum_delay()
    {
        SenderCannotConnect();
        var outbox = Open(maxAttempts: 10);
        var start = _clock.GetUtcNow();
        await outbox.EnqueueAsync("pacs", Results(1), default);

        var attemptTimes = new List<double>();
        for (var step = 0; step < 200 && attemptTimes.Count < 6; step++)
        {
            var before = _sent.Count;
            await outbox.ProcessDueAsync("pacs", default);
            if (_sent.Count > before)
            {
                attemptTimes.Add((_clock.GetUtcNow() - start).TotalSeconds);
            }

            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        // Waits of 10, 20, 40 s, then capped at 40 s.
        Assert.Equal([0d, 10, 30, 70, 110, 150], attemptTimes);
    }

    [Fact]
    public void Jitter_shortens_each_wait_by_at_most_its_fraction()
    {
        var options = new OutboxOptions { Root = OutboxRoot, RetryBaseDelay = TimeSpan.FromSeconds(10), RetryMaxDelay = TimeSpan.FromMinutes(5), JitterFraction = 0.5 };
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Delay(options, 3, Random.Shared.NextDouble())).ToList();

        Assert.All(delays, d => Assert.InRange(d.TotalSeconds, 20, 40));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the retries");
        Assert.Equal(TimeSpan.FromMinutes(5), Backoff.Delay(options with { JitterFraction = 0 }, 30, 0.9));
    }

    [Fact]
    public async Task Job_failing_every_attempt_goes_to_dead_letter_with_a_reason_and_is_counted_once()
    {
        var measured = new List<(string Instrument, long Value)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "MiM.Bundles.Dicom.Network.Storage" && instrument.Name.StartsWith("mim.dicom.outbox.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (tags.ToArray().Contains(new KeyValuePair<string, object?>("destination", "pacs")))
            {
                lock (measured)
                {
                    measured.Add((instrument.Name, value));
                }
            }
        });
        listener.Start();
        SenderAnswers(b => b == 0 ? (ushort)0x0000 : (ushort)0xA700);
        var outbox = Open(maxAttempts: 3);
        var job = await outbox.EnqueueAsync("pacs", Results(5), default);

        for (var step = 0; step < 30; step++)
        {
            await outbox.ProcessDueAsync("pacs", default);
            _clock.Advance(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(3, _sent.Count);
        Assert.Empty(outbox.PendingJobs("pacs"));
        var dead = outbox.DeadLetterFolder("pacs", job);
        Assert.Equal(Path.Combine(OutboxRoot, "dead-letter", "pacs", job), dead);
        Assert.Equal(5, Directory.EnumerateFiles(dead, "*.dcm").Count());
        var reason = File.ReadAllText(Path.Combine(dead, "reason.txt"));
        Assert.Contains("attempts: 3", reason, StringComparison.Ordinal);
        Assert.Contains("4 of 5 files not delivered", reason, StringComparison.Ordinal);
        Assert.Contains("status 0xA700", reason, StringComparison.Ordinal);
        Assert.Contains("first attempt:", reason, StringComparison.Ordinal);
        Assert.Equal(1, outbox.DeadLettered);
        Assert.Single(_log.Entries, e => e.Level == LogLevel.Error);
        Assert.Equal(2, _log.Entries.Count(e => e.EventId == 5303)); // one warning per failed retry, not per file
        Assert.Equal(1, measured.Where(m => m.Instrument == "mim.dicom.outbox.dead_lettered").Sum(m => m.Value));
        Assert.Equal(3, measured.Where(m => m.Instrument == "mim.dicom.outbox.failed_attempts").Sum(m => m.Value));
        Assert.Equal(1, measured.Where(m => m.Instrument == "mim.dicom.outbox.delivered_files").Sum(m => m.Value));
    }

    [Fact]
    public async Task Sender_failing_with_something_other_than_a_network_error_is_a_failed_attempt_too()
    {
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TimeoutException("no C-STORE response within 120 s"));
        var outbox = Open(maxAttempts: 2);
        var job = await outbox.EnqueueAsync("pacs", Results(1), default);

        await outbox.ProcessDueAsync("pacs", default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.ProcessDueAsync("pacs", default);

        Assert.Contains("TimeoutException: no C-STORE response", File.ReadAllText(Path.Combine(outbox.DeadLetterFolder("pacs", job), "reason.txt")), StringComparison.Ordinal);
        Assert.Equal((2L, 1L), (outbox.FailedAttempts, outbox.DeadLettered));
    }

    [Fact]
    public async Task Cancelled_pass_keeps_the_job_pending_with_its_attempt_counted()
    {
        using var cancel = new CancellationTokenSource();
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .Returns<DicomDestination, IReadOnlyList<string>, CancellationToken>(async (_, _, token) =>
            {
                await cancel.CancelAsync();
                token.ThrowIfCancellationRequested();
                return [];
            });
        var outbox = Open();
        var job = await outbox.EnqueueAsync("pacs", Results(1), default);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => outbox.ProcessDueAsync("pacs", cancel.Token));

        Assert.Equal([job], outbox.PendingJobs("pacs"));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outbox.JobFolder("pacs", job), "manifest.json")));
        Assert.Equal(1, manifest.RootElement.GetProperty("Attempts").GetInt32());
    }

    [Fact]
    public async Task After_partial_success_only_the_files_not_yet_delivered_are_sent_again()
    {
        var attempt = 0;
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DicomDestination _, IReadOnlyList<string> files, CancellationToken _) =>
            {
                _sent.Add([.. files]);
                attempt++;
                // First attempt: files 0 and 2 kept, 1 refused for now (a retryable status: a Cxxx one is now
                // dead-lettered at once, see PermanentFailureTests), 3 never answered (association lost after it).
                return attempt == 1
                    ? [new(files[0], 0x0000, null), new(files[1], 0xA700, "out of resources"), new(files[2], 0xB000, null), new(files[3], null, "association aborted")]
                    : [.. files.Select(f => new FileSendOutcome(f, 0x0000, null))];
            });
        var outbox = Open();
        var job = await outbox.EnqueueAsync("pacs", Results(4), default);
        var folder = outbox.JobFolder("pacs", job);

        await outbox.ProcessDueAsync("pacs", default);
        _clock.Advance(TimeSpan.FromSeconds(10));
        await outbox.ProcessDueAsync("pacs", default);

        Assert.Equal(2, _sent.Count);
        Assert.Equal([Path.Combine(folder, "0001.dcm"), Path.Combine(folder, "0003.dcm")], _sent[1]);
        Assert.Equal((1L, 4L), (outbox.DeliveredJobs, outbox.DeliveredFiles));
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Pending_job_resumes_after_a_restart_with_its_attempt_count_and_schedule()
    {
        SenderCannotConnect();
        var before = Open(maxAttempts: 2);
        var job = await before.EnqueueAsync("pacs", Results(2), default);
        await before.ProcessDueAsync("pacs", default);
        Assert.Single(_sent);

        var after = Open(maxAttempts: 2);
        Assert.Equal([job], after.PendingJobs("pacs"));
        Assert.Equal(_clock.GetUtcNow() + TimeSpan.FromSeconds(10), await after.ProcessDueAsync("pacs", default));
        Assert.Single(_sent);

        _clock.Advance(TimeSpan.FromSeconds(10));
        await after.ProcessDueAsync("pacs", default);

        // The attempt made before the restart counts: the second attempt is the last one.
        Assert.Equal(2, _sent.Count);
        Assert.Contains("attempts: 2", File.ReadAllText(Path.Combine(after.DeadLetterFolder("pacs", job), "reason.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Job_whose_last_attempt_was_counted_before_a_crash_is_dead_lettered_without_another_send()
    {
        SenderCannotConnect();
        var before = Open(maxAttempts: 2);
        var job = await before.EnqueueAsync("pacs", Results(1), default);
        await before.ProcessDueAsync("pacs", default);
        // A crash right after attempt 2 was written to the manifest, before it was sent.
        var folder = before.JobFolder("pacs", job);
        var manifest = OutboxManifest.Read(folder);
        manifest.Attempts = 2;
        manifest.Write(folder);

        var after = Open(maxAttempts: 2);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await after.ProcessDueAsync("pacs", default);

        Assert.Single(_sent);
        Assert.True(Directory.Exists(after.DeadLetterFolder("pacs", job)));
        Assert.Equal(1L, after.DeadLettered);
    }

    [Fact]
    public async Task Reopening_after_a_crash_removes_half_enqueued_jobs_and_keeps_complete_ones()
    {
        SenderAnswers(_ => 0x0000);
        var crashed = Open();
        var job = await crashed.EnqueueAsync("pacs", Results(2), default);
        // A crash mid-enqueue leaves a staging folder with a file and no manifest; one mid manifest rewrite leaves a temporary.
        var half = Path.Combine(OutboxRoot, ".incoming", "20000101T000000000-deadbeef0000");
        Directory.CreateDirectory(half);
        File.WriteAllBytes(Path.Combine(half, "0000.dcm"), [1]);
        var temporary = Path.Combine(crashed.JobFolder("pacs", job), ".manifest.json.0123.tmp");
        File.WriteAllText(temporary, "{\"Id\":");

        var reopened = Open();

        Assert.False(Directory.Exists(half));
        Assert.False(File.Exists(temporary));
        Assert.Equal([job], reopened.PendingJobs("pacs"));
        await reopened.ProcessDueAsync("pacs", default);
        Assert.Equal(2, Assert.Single(_sent).Count);
        Assert.Equal(1, reopened.DeliveredJobs);
    }

    [Fact]
    public async Task Job_with_an_unreadable_manifest_is_dead_lettered_instead_of_blocking_the_queue()
    {
        SenderAnswers(_ => 0x0000);
        var outbox = Open();
        var broken = await outbox.EnqueueAsync("pacs", Results(1, "b"), default);
        var fine = await outbox.EnqueueAsync("pacs", Results(1, "f"), default);
        File.WriteAllText(Path.Combine(outbox.JobFolder("pacs", broken), "manifest.json"), "{ not json");

        await outbox.ProcessDueAsync("pacs", default);

        Assert.Contains("unreadable manifest", File.ReadAllText(Path.Combine(outbox.DeadLetterFolder("pacs", broken), "reason.txt")), StringComparison.Ordinal);
        Assert.False(Directory.Exists(outbox.JobFolder("pacs", fine)));
        Assert.Equal((1L, 1L), (outbox.DeadLettered, outbox.DeliveredJobs));
    }

    [Fact]
    public async Task Running_worker_delivers_an_enqueued_job_after_retrying_on_the_real_clock()
    {
        var attempts = 0;
        _sender.Setup(s => s.SendAsync(Pacs, It.IsAny<IReadOnlyList<string>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DicomDestination _, IReadOnlyList<string> files, CancellationToken _) =>
                ++attempts < 3 ? throw new DicomNetworkException("peer busy") : [.. files.Select(f => new FileSendOutcome(f, 0x0000, null))]);
        var outbox = new DicomOutbox(
            new OutboxOptions { Root = OutboxRoot, RetryBaseDelay = TimeSpan.FromMilliseconds(20), RetryMaxDelay = TimeSpan.FromMilliseconds(50) },
            [Pacs],
            _sender.Object,
            TimeProvider.System);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var running = outbox.RunAsync(stop.Token);

        await Task.Delay(50); // the worker is idle, waiting for work
        await outbox.EnqueueAsync("pacs", Results(2), default);
        while (outbox.DeliveredJobs == 0 && !stop.IsCancellationRequested)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal((1L, 3, 2L), (outbox.DeliveredJobs, attempts, outbox.FailedAttempts));
    }

    [Fact]
    public void Destinations_bind_from_json_and_bad_names_are_refused()
    {
        const string json = """
            { "Destinations": [ { "Name": "pacs-main", "AeTitle": "PACS", "Host": "10.0.0.5", "Port": 104, "CallingAeTitle": "MIM" },
                                { "Name": "viewer", "AeTitle": "VIEW", "Host": "viewer.local", "Port": 11112 } ] }
            """;
        var options = JsonSerializer.Deserialize<DestinationsOptions>(json)!;

        Assert.Equal(
            [new DicomDestination("pacs-main", "PACS", "10.0.0.5", 104, "MIM"), new DicomDestination("viewer", "VIEW", "viewer.local", 11112, "MIMBUNDLES")],
            options.ToDestinations());
        foreach (var bad in new[] { "../x", "dead-letter", ".incoming", "sent", string.Empty })
        {
            Assert.Throws<ArgumentException>(() => new DestinationOptions { Name = bad, AeTitle = "A", Host = "h" }.ToDestination());
        }

        Assert.Throws<ArgumentException>(() => new DestinationOptions { Name = "ok", AeTitle = "WAY-TOO-LONG-AE-TITLE", Host = "h" }.ToDestination());
        Assert.Throws<ArgumentException>(() => (options with { Destinations = [.. options.Destinations, options.Destinations[0]] }).ToDestinations());
    }
}
