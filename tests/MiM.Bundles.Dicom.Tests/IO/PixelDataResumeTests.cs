using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Dicom.Tests.IO;

/// <summary>Going on from a header read (stopped before the pixel data) must give what one whole read gives.</summary>
public sealed class PixelDataResumeTests
{
    private static readonly DicomTag TrailingPadding = new(0xFFFC, 0xFFFC);

    [Fact]
    public void Reading_on_from_a_header_read_gives_the_elements_and_pixels_of_a_whole_read()
    {
        var pixels = Enumerable.Range(0, 6 * 4 * 2).Select(b => (byte)(b * 7)).ToArray();
        var path = Write(new DicomDataset()
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.840.10008.5.1.4.1.1.2")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "2.25.4242")
            .SetNumbers(DicomTag.Rows, DicomVr.US, 4)
            .SetNumbers(DicomTag.Columns, DicomVr.US, 6)
            .SetBytes(DicomTag.PixelData, DicomVr.OW, pixels)
            .SetBytes(TrailingPadding, DicomVr.OB, new byte[10]));
        try
        {
            var header = DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.StopBefore });
            Assert.NotNull(header.PixelDataStart);
            Assert.False(header.Dataset.Contains(DicomTag.PixelData));

            var resumed = DicomFileReader.ReadPixelData(header, new DicomReadOptions { PixelData = PixelDataReading.Load });
            var whole = DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.Load });

            Assert.Equal(whole.Dataset.Select(e => e.Tag), resumed.Dataset.Select(e => e.Tag));
            Assert.True(resumed.Dataset.Contains(TrailingPadding));
            Assert.Equal(pixels, resumed.Dataset.GetPixelBytes());
            Assert.Equal(whole.Dataset.GetPixelBytes(), resumed.Dataset.GetPixelBytes());
            Assert.Equal(whole.TransferSyntax, resumed.TransferSyntax);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_cut_inside_its_pixel_data_fails_on_resuming_as_a_whole_read_fails()
    {
        var path = Write(new DicomDataset()
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.840.10008.5.1.4.1.1.2")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "2.25.4244")
            .SetNumbers(DicomTag.Rows, DicomVr.US, 16)
            .SetNumbers(DicomTag.Columns, DicomVr.US, 16)
            .SetBytes(DicomTag.PixelData, DicomVr.OW, new byte[16 * 16 * 2]));
        try
        {
            var bytes = File.ReadAllBytes(path);
            File.WriteAllBytes(path, bytes[..^100]);
            var header = DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.StopBefore });
            Assert.NotNull(header.PixelDataStart);

            var resumed = Assert.Throws<DicomException>(() => DicomFileReader.ReadPixelData(header, new DicomReadOptions { PixelData = PixelDataReading.Defer }));
            var whole = Assert.Throws<DicomException>(() => DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.Load }));
            Assert.Equal(whole.Message, resumed.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_header_read_of_a_file_without_pixel_data_has_nowhere_to_resume()
    {
        var path = Write(new DicomDataset()
            .SetStrings(DicomTag.SopClassUid, DicomVr.UI, "1.2.840.10008.5.1.4.1.1.2")
            .SetStrings(DicomTag.SopInstanceUid, DicomVr.UI, "2.25.4243"));
        try
        {
            Assert.Null(DicomFile.Open(path, new DicomReadOptions { PixelData = PixelDataReading.StopBefore }).PixelDataStart);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(DicomDataset dataset)
    {
        var path = Path.Combine(Path.GetTempPath(), $"mim-dicom-resume-{Guid.NewGuid():N}.dcm");
        new DicomFile(dataset).Save(path);
        return path;
    }
}
