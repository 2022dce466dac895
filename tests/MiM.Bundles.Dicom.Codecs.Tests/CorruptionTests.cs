using System.Buffers.Binary;
using System.Diagnostics;
using Xunit.Abstractions;

namespace MiM.Bundles.Dicom.Codecs.Tests;

public class CorruptionTests(ITestOutputHelper output)
{
    private static readonly PixelFormat Ct = new(64, 64, 1, 16, 16, true, false);

    [Fact]
    public void Rle_structural_damage_is_a_decode_exception()
    {
        var frame = Encode("dcmcrle", []);
        var decoder = new RleLosslessDecoder();
        AssertRejected(decoder, frame[..40], "shorter than the 64-byte");
        AssertRejected(decoder, With(frame, 0, 0u), "segment count 0");
        AssertRejected(decoder, With(frame, 0, 16u), "segment count 16");
        AssertRejected(decoder, With(frame, 0, 1u), "needs 2");
        AssertRejected(decoder, With(frame, 8, 0xFFFF_FFF0u), "segment 2 offset");
        AssertRejected(decoder, With(frame, 8, 64u), "segment 2 offset");
        AssertRejected(decoder, frame[..(frame.Length / 2)], "segment 2");
        var e = Assert.Throws<PixelDecodeException>(() => decoder.DecodeFrame(frame, Ct with { BitsAllocated = 8, BitsStored = 8 }));
        Assert.Contains("needs 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Jpeg_structural_damage_is_a_decode_exception()
    {
        var frame = Encode("dcmcjpeg", ["+e1"]);
        var decoder = new JpegLosslessDecoder();
        AssertRejected(decoder, frame[2..], "SOI");
        AssertRejected(decoder, frame[..(frame.Length / 2)], "ends");
        AssertRejected(decoder, WithoutSegment(frame, 0xC4), "DHT");
        var sos = frame.AsSpan().IndexOf([(byte)0xFF, (byte)0xDA]);
        AssertRejected(decoder, [.. frame[..sos], 0xFF, 0xD9], "missing SOS");
        AssertRejected(decoder, WithoutSegment(frame, 0xDA), "marker");
        AssertRejected(decoder, WithoutSegment(frame, 0xC3), "SOF3");
        var e = Assert.Throws<PixelDecodeException>(() => decoder.DecodeFrame(frame, Ct with { Rows = 65 }));
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        var sof = frame.AsSpan().IndexOf([(byte)0xFF, (byte)0xC3]);
        var lossy = (byte[])frame.Clone();
        lossy[sof + 1] = 0xC1;
        AssertRejected(decoder, lossy, "SOF1");
    }

    [Theory]
    [InlineData("dcmcrle")]
    [InlineData("dcmcjpeg")]
    public void Random_mutations_end_in_a_decode_exception_or_a_complete_frame(string tool)
    {
        var frame = Encode(tool, tool == "dcmcjpeg" ? ["+e1"] : []);
        IPixelDecoder decoder = tool == "dcmcrle" ? new RleLosslessDecoder() : new JpegLosslessDecoder();
        var random = new Random(20240611);
        var watch = Stopwatch.StartNew();
        int rejected = 0, decoded = 0;
        for (var i = 0; i < 3000; i++)
        {
            var mutated = (byte[])frame.Clone();
            switch (i % 3)
            {
                case 0:
                    for (var k = random.Next(1, 5); k > 0; k--)
                    {
                        mutated[random.Next(mutated.Length)] ^= (byte)(1 << random.Next(8));
                    }

                    break;
                case 1:
                    mutated = mutated[..random.Next(mutated.Length)];
                    break;
                default:
                    // Damage the headers, where counts and lengths live.
                    var at = random.Next(Math.Min(mutated.Length, 200));
                    mutated[at] = (byte)random.Next(256);
                    break;
            }

            try
            {
                Assert.Equal(Ct.FrameLength, decoder.DecodeFrame(mutated, Ct).Length);
                decoded++;
            }
            catch (PixelDecodeException)
            {
                rejected++;
            }
        }

        output.WriteLine($"{tool}: {rejected} rejected, {decoded} decoded in {watch.ElapsedMilliseconds} ms");
        Assert.True(rejected > 0);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void Unsupported_transfer_syntax_names_the_uid_and_the_supported_ones()
    {
        var e = Assert.Throws<PixelDecodeException>(() => PixelDecoders.For("1.2.840.10008.1.2.4.50"));
        Assert.Contains("JPEG Baseline (1.2.840.10008.1.2.4.50) is not supported", e.Message, StringComparison.Ordinal);
        Assert.Contains(TransferSyntaxes.RleLossless, e.Message, StringComparison.Ordinal);
        Assert.Contains(TransferSyntaxes.JpegLosslessSv1, e.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<PixelDecodeException>(() => PixelDecoders.For("1.2.3.4"));
        Assert.Contains("1.2.3.4", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Frame_splitter_rejects_offsets_that_miss_fragments()
    {
        byte[][] fragments = [[1, 2], [3, 4], [5, 6]];
        var table = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 5);
        Assert.Throws<PixelDecodeException>(() => FrameSplitter.Split(table, fragments, 2));
        Assert.Throws<PixelDecodeException>(() => FrameSplitter.Split(table, fragments, 3));
        Assert.Throws<PixelDecodeException>(() => FrameSplitter.Split([], fragments, 2));
        Assert.Throws<PixelDecodeException>(() => FrameSplitter.Split([], fragments, 0));
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(4), 20);
        var frames = FrameSplitter.Split(table, fragments, 2);
        Assert.Equal([1, 2, 3, 4], frames[0]);
        Assert.Equal([5, 6], frames[1]);
    }

    [Fact]
    public void Decode_speed_of_a_512_square_16_bit_frame()
    {
        var format = new PixelFormat(512, 512, 1, 16, 16, true, false);
        using var dir = new TempDir();
        var image = TestImages.Make(format);
        var native = image.WriteDicom(dir, "big");
        Peers.Run("dcmcrle", dir.Path, native, "rle.dcm");
        Peers.Run("dcmcjpeg", dir.Path, "+e1", native, "jpeg.dcm");
        foreach (var (file, decoder) in new (string, IPixelDecoder)[] { ("rle.dcm", new RleLosslessDecoder()), ("jpeg.dcm", new JpegLosslessDecoder()) })
        {
            var frame = DicomFileProbe.ReadFragments(dir.File(file)).Fragments[0];
            Assert.Equal(image.Frame(0), decoder.DecodeFrame(frame, format));
            var watch = Stopwatch.StartNew();
            const int Runs = 20;
            for (var i = 0; i < Runs; i++)
            {
                decoder.DecodeFrame(frame, format);
            }

            output.WriteLine($"{decoder.TransferSyntaxUid}: {watch.Elapsed.TotalMilliseconds / Runs:F2} ms per 512x512x16 frame ({frame.Length} bytes in)");
        }
    }

    private static byte[] Encode(string tool, string[] options)
    {
        using var dir = new TempDir();
        var native = TestImages.Make(Ct).WriteDicom(dir, "ct");
        Peers.Run(tool, dir.Path, [.. options, native, "out.dcm"]);
        return DicomFileProbe.ReadFragments(dir.File("out.dcm")).Fragments[0];
    }

    private static byte[] With(byte[] frame, int at, uint value)
    {
        var copy = (byte[])frame.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), value);
        return copy;
    }

    private static byte[] WithoutSegment(byte[] frame, byte marker)
    {
        var at = frame.AsSpan().IndexOf([(byte)0xFF, marker]);
        var length = (frame[at + 2] << 8) | frame[at + 3];
        return [.. frame[..at], .. frame[(at + 2 + length)..]];
    }

    private static void AssertRejected(IPixelDecoder decoder, byte[] frame, string expected)
    {
        var e = Assert.Throws<PixelDecodeException>(() => decoder.DecodeFrame(frame, Ct));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
