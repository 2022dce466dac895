using System.Buffers.Binary;

namespace MiM.Bundles.Dicom.Codecs.Tests;

public class RestartIntervalTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 5)]
    [InlineData(4, 3)]
    [InlineData(7, 10)]
    public void Restart_markers_decode_like_dcmdjpeg_and_the_original(int selection, int restartRows)
    {
        using var dir = new TempDir();
        var format = new PixelFormat(40, 36, 1, 16, 16, false, false);
        var image = TestImages.Make(format, seed: 11);
        var samples = new ushort[format.PixelCount];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadUInt16LittleEndian(image.Pixels.AsSpan(2 * i));
        }

        var stream = RestartTestEncoder.Encode(samples, format.Rows, format.Columns, 16, selection, restartRows);
        Assert.Contains((byte)0xD0, stream);

        // Wrap the stream into a DCMTK-made JPEG Lossless file so DCMTK's own decoder vouches for it.
        var native = image.WriteDicom(dir, "rst");
        Peers.Run("dcmcjpeg", dir.Path, "+el", "+sv", "1", native, "jpeg.dcm");
        var file = File.ReadAllBytes(dir.File("jpeg.dcm"));
        byte[] header = [0xE0, 0x7F, 0x10, 0x00, (byte)'O', (byte)'B', 0, 0, 0xFF, 0xFF, 0xFF, 0xFF];
        var at = file.AsSpan().LastIndexOf(header) + header.Length;
        var fragment = stream.Length % 2 == 0 ? stream : [.. stream, 0];
        using (var w = new BinaryWriter(File.Create(dir.File("restart.dcm"))))
        {
            w.Write(file, 0, at);
            w.Write([0xFE, 0xFF, 0x00, 0xE0, 0, 0, 0, 0]);
            w.Write([0xFE, 0xFF, 0x00, 0xE0]);
            w.Write(fragment.Length);
            w.Write(fragment);
            w.Write([0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]);
        }

        Peers.Run("dcmdjpeg", dir.Path, "+te", "restart.dcm", "back.dcm");
        var dcmtk = DicomFileProbe.ReadNativePixels(dir.File("back.dcm"));

        var decoded = PixelDecoders.For(TransferSyntaxes.JpegLossless).DecodeFrame(stream, format);

        Assert.Equal(image.Frame(0), dcmtk);
        Assert.Equal(image.Frame(0), decoded);
    }

    [Fact]
    public void Wrong_restart_marker_number_is_a_decode_exception()
    {
        var samples = new ushort[20 * 10];
        var stream = RestartTestEncoder.Encode(samples, 20, 10, 12, 1, 2);
        var at = stream.AsSpan().IndexOf([(byte)0xFF, (byte)0xD1]);
        stream[at + 1] = 0xD3;

        var e = Assert.Throws<PixelDecodeException>(() => new JpegLosslessDecoder().DecodeFrame(stream, new PixelFormat(20, 10, 1, 16, 12, false, false)));
        Assert.Contains("RST1", e.Message, StringComparison.Ordinal);
    }
}
