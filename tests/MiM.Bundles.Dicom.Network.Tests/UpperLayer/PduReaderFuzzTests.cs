using System.Diagnostics;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Tests.Peers;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Tests.UpperLayer;

/// <summary>
/// Mutated A-ASSOCIATE-RQ and P-DATA streams through the PDU reader and the decoders behind it (deterministic seed):
/// each input ends within a time and an allocation bound, and only the documented exceptions escape —
/// <see cref="UpperLayerProtocolException"/>, <see cref="EndOfStreamException"/> (stream ended inside a PDU) and
/// <see cref="FormatException"/> (a malformed DIMSE command set).
/// </summary>
public sealed class PduReaderFuzzTests
{
    private const int Inputs = 10_000;
    private const long AllocationBound = 512 << 10;
    private static readonly TimeSpan TimeBound = TimeSpan.FromMilliseconds(200);

    private static byte[] AssociateRequestStream() => AssociationPduCodec.EncodeRequest(new AssociateRequest(
        "MIMTEST",
        "FUZZER",
        DicomUids.ApplicationContext,
        [new ProposedPresentationContext(1, DicomUids.Verification, [DicomUids.ImplicitVrLittleEndian]), new ProposedPresentationContext(3, TestInstances.CtImageStorage, [DicomUids.ExplicitVrLittleEndian, DicomUids.RleLossless])],
        new UserInformation(16384, "1.2.826.0.1.3680043.10.9999", "FUZZ")));

    private static byte[] DataStream()
    {
        var command = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = 7,
            AffectedSopClassUid = TestInstances.CtImageStorage,
            AffectedSopInstanceUid = "1.2.826.0.1.3680043.10.9999.1",
            HasDataSet = true,
        }.Encode();
        return [.. RawPeer.PData(3, command: true, last: true, command), .. RawPeer.PData(3, command: false, last: false, new byte[64]), .. RawPeer.PData(3, command: false, last: true, new byte[32]), .. AssociationPduCodec.EncodeReleaseRequest()];
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        var mutations = random.Next(1, 6);
        for (var m = 0; m < mutations && data.Count > 0; m++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    data[at] = (byte)random.Next(256);
                    break;
                case 2:
                    // A length field (PDU, item or PDV) set to an extreme: 0, max, or just past what is there.
                    byte[] extreme = [0x00, 0xFF, 0x7F, 0x01];
                    for (var k = 0; k < 4 && at + k < data.Count; k++)
                    {
                        data[at + k] = extreme[random.Next(extreme.Length)];
                    }

                    break;
                case 3:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4:
                    data.InsertRange(at, Enumerable.Range(0, random.Next(1, 16)).Select(_ => (byte)random.Next(256)));
                    break;
                default:
                    data.RemoveRange(at, Math.Min(random.Next(1, 8), data.Count - at));
                    break;
            }
        }

        return [.. data];
    }

    /// <summary>Reads and decodes every PDU of the input the way the SCP and SCU do.</summary>
    private static void Consume(byte[] input)
    {
        using var stream = new MemoryStream(input);
        var channel = new PduChannel(stream, 1 << 16);
        for (var pdus = 0; pdus < 64; pdus++)
        {
#pragma warning disable CA2012 // Completed synchronously (asserted): reading the result is safe and keeps the input on this thread.
            var read = channel.ReadAsync(CancellationToken.None);
            Assert.True(read.IsCompleted, "a memory stream read must complete synchronously");
            var next = read.GetAwaiter().GetResult();
#pragma warning restore CA2012
            if (next is not { } pdu)
            {
                return;
            }

            switch (pdu.Type)
            {
                case PduType.AssociateRequest:
                    AssociationPduCodec.DecodeRequest(pdu.Body.Span);
                    break;
                case PduType.AssociateAccept:
                    AssociationPduCodec.DecodeAccept(pdu.Body.Span);
                    break;
                case PduType.AssociateReject:
                    AssociationPduCodec.DecodeReject(pdu.Body.Span);
                    break;
                case PduType.Abort:
                    AssociationPduCodec.DecodeAbort(pdu.Body.Span);
                    break;
                case PduType.DataTransfer:
                    foreach (var value in PresentationDataValue.Split(pdu.Body))
                    {
                        if (value.IsCommand && value.IsLast)
                        {
                            DimseCommand.Decode(value.Data.Span);
                        }
                    }

                    break;
                default:
                    break;
            }
        }
    }

    [Fact]
    public void Mutated_association_and_data_streams_end_in_bounded_time_and_memory_with_only_documented_exceptions()
    {
        var random = new Random(20250607);
        byte[][] seeds = [AssociateRequestStream(), DataStream(), [.. AssociateRequestStream(), .. DataStream()]];
        Consume(seeds[2]); // the unmutated streams decode cleanly (and warm up the JIT)
        var clock = new Stopwatch();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Inputs; i++)
        {
            var input = Mutate(random, seeds[i % seeds.Length]);
            var before = GC.GetAllocatedBytesForCurrentThread();
            clock.Restart();
            var outcome = "ok";
            try
            {
                Consume(input);
            }
            catch (Exception e) when (e is UpperLayerProtocolException or EndOfStreamException or FormatException)
            {
                outcome = e.GetType().Name;
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} ({Convert.ToHexString(input)}) let {e.GetType().Name} escape: {e.Message}");
            }

            clock.Stop();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBound, $"input {i} ({input.Length} bytes) allocated {allocated} bytes");
            Assert.True(clock.Elapsed < TimeBound, $"input {i} took {clock.Elapsed}");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // The mutations reach past the first check: some inputs still decode, others fail in each decoder.
        Assert.True(outcomes.GetValueOrDefault("ok") > 100, string.Join(", ", outcomes));
        Assert.True(outcomes.GetValueOrDefault(nameof(UpperLayerProtocolException)) > 100, string.Join(", ", outcomes));
    }
}
