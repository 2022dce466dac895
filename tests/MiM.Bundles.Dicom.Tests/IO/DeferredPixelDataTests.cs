using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Tests.Peers;

namespace MiM.Bundles.Dicom.Tests.IO;

public sealed class DeferredPixelDataTests
{
    [Fact]
    public void Reading_the_header_does_not_read_the_pixel_bytes()
    {
        var path = PeerTools.PydicomFile("CT_small.dcm");
        var counters = new List<CountingStream>();
        var file = DicomFile.Open(() => Track(counters, new CountingStream(File.OpenRead(path))), path);
        var pixels = Assert.IsType<DicomValueElement>(file.Dataset[DicomTag.PixelData]);
        Assert.False(pixels.Buffer.IsLoaded);
        Assert.Equal(128 * 128 * 2, pixels.Length);
        Assert.Single(counters);

        var bytes = pixels.Buffer.GetBytes();
        Assert.Equal(2, counters.Count);
        Assert.Equal(pixels.Length, counters[1].BytesRead);
        Assert.Equal(bytes, DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.Load }).Dataset.GetPixelBytes());
    }

    [Fact]
    public void A_large_file_reads_its_header_without_reading_the_pixels()
    {
        // A synthetic 8 MiB image: the header read must stay near the read-ahead size.
        var dataset = new DicomDataset()
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.840.10008.5.1.4.1.1.2")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "2.25.42")
            .SetNumbers(DicomTag.Rows, DicomVr.US, 2048)
            .SetNumbers(DicomTag.Columns, DicomVr.US, 2048)
            .SetBytes(DicomTag.PixelData, DicomVr.OW, new byte[2048 * 2048 * 2]);
        var path = Path.Combine(Path.GetTempPath(), $"mim-dicom-lazy-{Guid.NewGuid():N}.dcm");
        try
        {
            new DicomFile(dataset).Save(path);
            var counters = new List<CountingStream>();
            var file = DicomFile.Open(() => Track(counters, new CountingStream(File.OpenRead(path))), path);
            Assert.Equal(2048, file.Dataset.GetInt32(DicomTag.Rows));
            Assert.True(counters[0].BytesRead <= 1 << 17, $"header read {counters[0].BytesRead} bytes");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Headers_load_from_a_file_truncated_inside_the_pixel_data_when_stopping_before_it()
    {
        var bytes = File.ReadAllBytes(PeerTools.PydicomFile("CT_small.dcm"));
        var truncated = bytes[..(bytes.Length - 10000)];
        var file = DicomFile.Open(new MemoryStream(truncated), new DicomReadOptions { PixelData = PixelDataReading.StopBefore });
        Assert.Equal(128, file.Dataset.GetInt32(DicomTag.Rows));
        Assert.False(file.Dataset.Contains(DicomTag.PixelData));
        Assert.Throws<DicomException>(() => DicomFile.Open(new MemoryStream(truncated)));
    }

    private static CountingStream Track(List<CountingStream> counters, CountingStream stream)
    {
        counters.Add(stream);
        return stream;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => inner.Length;

        public override long Position { get => inner.Position; set => inner.Position = value; }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }

        public override int Read(Span<byte> buffer)
        {
            var n = inner.Read(buffer);
            BytesRead += n;
            return n;
        }

        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);

        public override void Flush() => inner.Flush();

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

internal static class PixelExtensions
{
    public static byte[] GetPixelBytes(this DicomDataset dataset) => ((DicomValueElement)dataset[DicomTag.PixelData]!).Buffer.GetBytes();
}
