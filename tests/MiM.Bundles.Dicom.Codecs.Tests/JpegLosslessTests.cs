namespace MiM.Bundles.Dicom.Codecs.Tests;

public class JpegLosslessTests
{
    public static IEnumerable<object[]> Sv1Formats() => TestImages.Formats();

    public static IEnumerable<object[]> Predictors() =>
        from sv in Enumerable.Range(1, 7)
        from f in new[] { new PixelFormat(45, 52, 1, 16, 16, true, false), new PixelFormat(31, 29, 1, 8, 8, false, false), new PixelFormat(21, 26, 3, 8, 8, false, false) }
        select new object[] { sv, f };

    [Theory]
    [MemberData(nameof(Sv1Formats))]
    public void Dcmcjpeg_sv1_output_decodes_to_the_original_pixels(string name, PixelFormat format)
    {
        using var dir = new TempDir();
        var image = TestImages.Make(format);
        var native = image.WriteDicom(dir, name);
        Peers.Run("dcmcjpeg", dir.Path, "+e1", native, "jpeg.dcm");

        var decoded = DecodeSingleFrame(dir.File("jpeg.dcm"), TransferSyntaxes.JpegLosslessSv1, format);

        Assert.Equal(image.Frame(0), decoded);
    }

    [Theory]
    [MemberData(nameof(Predictors))]
    public void Dcmcjpeg_any_predictor_decodes_to_the_original_pixels(int selection, PixelFormat format)
    {
        using var dir = new TempDir();
        var image = TestImages.Make(format, seed: selection);
        var native = image.WriteDicom(dir, "p");
        Peers.Run("dcmcjpeg", dir.Path, "+el", "+sv", selection.ToString(System.Globalization.CultureInfo.InvariantCulture), native, "jpeg.dcm");

        var decoded = DecodeSingleFrame(dir.File("jpeg.dcm"), TransferSyntaxes.JpegLossless, format);

        Assert.Equal(image.Frame(0), decoded);
    }

    [Fact]
    public void Point_transform_decodes_like_dcmdjpeg()
    {
        using var dir = new TempDir();
        var format = new PixelFormat(40, 44, 1, 16, 12, false, false);
        var native = TestImages.Make(format).WriteDicom(dir, "pt");
        Peers.Run("dcmcjpeg", dir.Path, "+el", "+sv", "1", "+pt", "3", native, "jpeg.dcm");
        Peers.Run("dcmdjpeg", dir.Path, "+te", "jpeg.dcm", "back.dcm");

        var decoded = DecodeSingleFrame(dir.File("jpeg.dcm"), TransferSyntaxes.JpegLossless, format);

        Assert.Equal(DicomFileProbe.ReadNativePixels(dir.File("back.dcm")), decoded);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Multi_frame_in_small_fragments_decodes_like_dcmdjpeg(bool offsetTable)
    {
        using var dir = new TempDir();
        var format = new PixelFormat(64, 70, 1, 16, 16, true, false);
        var image = TestImages.Make(format, frames: 3);
        var native = image.WriteDicom(dir, "mf");
        Peers.Run("dcmcjpeg", dir.Path, "+e1", "+fs", "1", offsetTable ? "+ot" : "-ot", native, "jpeg.dcm");
        Peers.Run("dcmdjpeg", dir.Path, "+te", "jpeg.dcm", "back.dcm");

        var (table, fragments) = DicomFileProbe.ReadFragments(dir.File("jpeg.dcm"));
        Assert.True(fragments.Count > 3, "1 KB fragments should split each frame");
        Assert.Equal(offsetTable, table.Length > 0);
        var decoder = PixelDecoders.For(TransferSyntaxes.JpegLosslessSv1);
        var all = FrameSplitter.Split(table, fragments, 3).SelectMany(f => decoder.DecodeFrame(f, format)).ToArray();

        Assert.Equal(image.Pixels, all);
        Assert.Equal(DicomFileProbe.ReadNativePixels(dir.File("back.dcm")), all);
    }

    internal static byte[] DecodeSingleFrame(string file, string transferSyntax, PixelFormat format)
    {
        var (table, fragments) = DicomFileProbe.ReadFragments(file);
        var frames = FrameSplitter.Split(table, fragments, 1);
        return PixelDecoders.For(transferSyntax).DecodeFrame(frames[0], format);
    }
}
