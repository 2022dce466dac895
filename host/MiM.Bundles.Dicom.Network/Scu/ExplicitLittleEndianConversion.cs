using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>
/// The one conversion the SCU does on its own: a native (not encapsulated) data set in Implicit VR Little Endian,
/// Explicit VR Big Endian or Deflated Explicit VR Little Endian re-encoded as Explicit VR Little Endian when the peer
/// refused the file's own transfer syntax. The values do not change — only their encoding — so nothing is lost;
/// compressed pixel data is never decompressed here (that is not trivial, and the file is reported instead).
/// </summary>
internal static class ExplicitLittleEndianConversion
{
    /// <summary>Whether a file in this transfer syntax can be converted.</summary>
    public static bool Applies(string transferSyntaxUid)
        => transferSyntaxUid is DicomUids.ImplicitVrLittleEndian or DicomUids.ExplicitVrBigEndian or DicomUids.DeflatedExplicitVrLittleEndian;

    /// <summary>Writes the converted file to a temporary path (deleted by the caller) and returns its source.</summary>
    public static Part10Source Convert(Part10Source source)
    {
        var converted = Path.Combine(Path.GetTempPath(), $"mim-scu-{Guid.NewGuid():N}.dcm");
        try
        {
            var file = DicomFile.Open(source.FilePath);
            using (var output = new FileStream(converted, FileMode.CreateNew, FileAccess.Write))
            {
                DicomFileWriter.Write(output, file);
            }

            var result = Part10Source.Read(converted);
            return result.TransferSyntaxUid == DicomUids.ExplicitVrLittleEndian
                ? result
                : throw new InvalidDataException($"conversion produced {result.TransferSyntaxUid}");
        }
        catch
        {
            File.Delete(converted);
            throw;
        }
    }
}
