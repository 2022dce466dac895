#:project ../../host/MiM.Bundles.Dicom.Network/MiM.Bundles.Dicom.Network.csproj
#:property TreatWarningsAsErrors=false
using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using MiM.Bundles.Dicom.Network.Inbox;

// Usage: dotnet run bench/dicom/inbox-ingest.cs -c Release -- [count=200] [concurrency=1] [folder=/tmp] [journal-mb=0]
// Ingest N instances of 512x512x2 bytes through the durable inbox, sequential and with C concurrent writers; prints
// instances/s and MB/s. journal-mb 0: no journal, each file and its directory fsynced in place (the default);
// otherwise each instance is acknowledged once its journal record is fdatasynced (group commit).
var n = args.Length > 0 ? int.Parse(args[0]) : 200;
var concurrency = args.Length > 1 ? int.Parse(args[1]) : 1;
var root = Path.Combine(args.Length > 2 ? args[2] : Path.GetTempPath(), "mim-inbox-bench-" + Guid.NewGuid().ToString("N"));
var journalMb = args.Length > 3 ? long.Parse(args[3]) : 0;
var inbox = new DurableInbox(new InboxOptions { Root = root, MinimumFreeBytes = 0, JournalSegmentBytes = journalMb << 20 });
var pixels = new byte[512 * 512 * 2];
Random.Shared.NextBytes(pixels);
byte[] Uid(string v) { var b = Encoding.ASCII.GetBytes(v); return b.Length % 2 == 0 ? b : [.. b, 0]; }
void El(Stream s, ushort g, ushort e, byte[] v) { Span<byte> h = stackalloc byte[8]; BinaryPrimitives.WriteUInt16LittleEndian(h, g); BinaryPrimitives.WriteUInt16LittleEndian(h[2..], e); BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)v.Length); s.Write(h); s.Write(v); }
byte[] DataSet(string sop) { using var m = new MemoryStream(); El(m, 8, 0x16, Uid("1.2.840.10008.5.1.4.1.1.2")); El(m, 8, 0x18, Uid(sop)); El(m, 0x20, 0xD, Uid("1.2.3.4")); El(m, 0x20, 0xE, Uid("1.2.3.4.5")); El(m, 0x7FE0, 0x10, pixels); return m.ToArray(); }
var sets = Enumerable.Range(0, n).Select(i => ("1.2.3.4.5." + i, DataSet("1.2.3.4.5." + i))).ToArray();
long flushes = 0;
using var meters = new System.Diagnostics.Metrics.MeterListener();
meters.InstrumentPublished = (instrument, listener) => { if (instrument.Name == "mim.dicom.inbox.journal.flushes") listener.EnableMeasurementEvents(instrument); };
meters.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref flushes, value));
meters.Start();
var sw = Stopwatch.StartNew();
await Parallel.ForEachAsync(sets, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (x, ct) =>
{
    await using var inc = await inbox.BeginAsync(new IncomingInstanceInfo("1.2.840.10008.5.1.4.1.1.2", x.Item1, "1.2.840.10008.1.2", "BENCH", "MIM"), ct);
    for (var o = 0; o < x.Item2.Length; o += 16384) await inc.WriteAsync(x.Item2.AsMemory(o, Math.Min(16384, x.Item2.Length - o)), ct);
    var r = await inc.CommitAsync(ct);
    if (r.Status != StoreStatus.Stored) throw new InvalidOperationException(r.Status.ToString());
});
var s = sw.Elapsed.TotalSeconds;
Console.WriteLine($"{n} instances x {pixels.Length / 1024} KiB, concurrency {concurrency}: {s:F2} s, {n / s:F0} instances/s, {n * (double)pixels.Length / s / 1e6:F0} MB/s, {Interlocked.Read(ref flushes)} journal flushes ({(journalMb == 0 ? "fsync file + dir each" : $"journal, {journalMb} MiB segments")})");
// A second inbox on the same folder is refused while the first holds its lock (a second listener must not share it).
sw.Restart();
inbox.Dispose();
Console.WriteLine($"close (final checkpoint) {sw.Elapsed.TotalMilliseconds:F0} ms");
sw.Restart();
using var reopened = new DurableInbox(new InboxOptions { Root = root, MinimumFreeBytes = 0 });
Console.WriteLine($"reopen (index rebuild) of {reopened.Count} instances: {sw.Elapsed.TotalMilliseconds:F0} ms");
Directory.Delete(root, true);
