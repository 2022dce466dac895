using System.Buffers.Binary;
using System.Diagnostics;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;
using Xunit.Abstractions;

namespace MiM.Bundles.Dicom.Tests.IO;

/// <summary>
/// Seeded mutations of real files: every one must load or end in a <see cref="DicomException"/>, quickly and without
/// allocating much more than the file holds.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private static readonly string[] Seeds =
    [
        "CT_small.dcm", "MR_small_bigendian.dcm", "MR_small_implicit.dcm", "image_dfl.dcm", "JPEG2000.dcm", "rtplan.dcm",
        "nested_priv_SQ.dcm", "UN_sequence.dcm",
    ];

    private static readonly uint[] HugeLengths = [0xFFFFFFF0, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0x10000];

    [Fact]
    public void Mutated_files_load_or_fail_with_DicomException_within_bounds()
    {
        var random = new Random(20261125);
        var clock = Stopwatch.StartNew();
        var (loaded, failed) = (0, 0);
        foreach (var seed in Seeds)
        {
            var original = File.ReadAllBytes(PeerTools.PydicomFile(seed));
            var inflated = seed == "image_dfl.dcm" ? 1 << 20 : 0;
            foreach (var mutant in Mutations(original, random))
            {
                if (Check(mutant, inflated))
                {
                    loaded++;
                }
                else
                {
                    failed++;
                }
            }
        }

        output.WriteLine($"{loaded + failed} mutants: {loaded} loaded, {failed} DicomException, {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"fuzzing took {clock.Elapsed}");
        Assert.True(failed > 0 && loaded > 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Ten_thousand_nested_sequences_are_a_DicomException(bool explicitVr)
    {
        using var body = new MemoryStream();
        const int depth = 10_000;
        for (var i = 0; i < depth; i++)
        {
            Header(body, 0x0008, 0x1140, explicitVr ? "SQ" : null, 0xFFFFFFFF);
            Header(body, 0xFFFE, 0xE000, null, 0xFFFFFFFF);
        }

        for (var i = 0; i < depth; i++)
        {
            Header(body, 0xFFFE, 0xE00D, null, 0);
            Header(body, 0xFFFE, 0xE0DD, null, 0);
        }

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<DicomException>(() => DicomFile.Open(new MemoryStream(body.ToArray())));
        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
    }

    [Fact]
    public void Nesting_within_the_limit_reads()
    {
        using var body = new MemoryStream();
        for (var i = 0; i < 60; i++)
        {
            Header(body, 0x0008, 0x1140, "SQ", 0xFFFFFFFF);
            Header(body, 0xFFFE, 0xE000, null, 0xFFFFFFFF);
        }

        for (var i = 0; i < 60; i++)
        {
            Header(body, 0xFFFE, 0xE00D, null, 0);
            Header(body, 0xFFFE, 0xE0DD, null, 0);
        }

        var file = DicomFile.Open(new MemoryStream(body.ToArray()));
        Assert.Single(file.Dataset.GetItems(new DicomTag(0x0008, 0x1140)));
    }

    private static IEnumerable<byte[]> Mutations(byte[] original, Random random)
    {
        // Truncation at every position of the first 1.5 KiB (meta, headers) and every 61st byte after.
        for (var length = 0; length < original.Length; length += length < 1536 ? 1 : 61)
        {
            yield return original[..length];
        }

        // Random byte flips in the header part.
        var headerSpan = Math.Min(original.Length, 2048);
        for (var i = 0; i < 1500; i++)
        {
            var copy = (byte[])original.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                copy[random.Next(headerSpan)] ^= (byte)random.Next(1, 256);
            }

            yield return copy;
        }

        // Huge lengths written over 16- and 32-bit length fields (any 2/4 bytes after a plausible header).
        for (var i = 0; i < 800; i++)
        {
            var copy = (byte[])original.Clone();
            var at = random.Next(Math.Max(1, headerSpan - 4));
            BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(at), HugeLengths[random.Next(HugeLengths.Length)]);
            yield return copy;
        }

        // Wrong VRs: every VR-looking pair in the first 2 KiB replaced by another VR code.
        var codes = Enum.GetNames<DicomVr>().Where(n => n.Length == 2).ToArray();
        var replaced = 0;
        for (var at = 0; at + 1 < headerSpan && replaced < 300; at++)
        {
            if (DicomVrInfo.TryParse(original[at], original[at + 1], out _))
            {
                var copy = (byte[])original.Clone();
                var code = codes[random.Next(codes.Length)];
                copy[at] = (byte)code[0];
                copy[at + 1] = (byte)code[1];
                replaced++;
                yield return copy;
            }
        }
    }

    /// <summary>True when it loaded, false for a DicomException; anything else fails the test.</summary>
    private static bool Check(byte[] mutant, int inflated)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        bool loaded;
        try
        {
            var file = DicomFile.Open(new MemoryStream(mutant));
            foreach (var element in file.Dataset)
            {
                if (element is DicomValueElement value)
                {
                    _ = file.Dataset.GetStrings(element.Tag);
                    _ = value.Buffer.GetBytes();
                }
            }

            loaded = true;
        }
        catch (DicomException)
        {
            loaded = false;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var bound = 16L * (mutant.Length + inflated) + (4 << 20);
        Assert.True(allocated < bound, $"allocated {allocated} bytes for a {mutant.Length}-byte file");
        return loaded;
    }

    private static void Header(Stream stream, ushort group, ushort element, string? vr, uint length)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], element);
        if (vr is null)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], length);
            stream.Write(bytes[..8]);
            return;
        }

        bytes[4] = (byte)vr[0];
        bytes[5] = (byte)vr[1];
        bytes[6] = bytes[7] = 0;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[8..], length);
        stream.Write(bytes);
    }
}
