using MiM.Bundles.Dicom.Network.Scu;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>Reading back what was sent or stored, through the SCU's own meta reader.</summary>
internal static partial class TestInstances
{
    public static string SopInstanceUidOf(string path) => Part10Source.Read(path).SopInstanceUid;

    /// <summary>The data set bytes of a Part 10 file (everything after the meta group), to compare what went over the wire.</summary>
    public static byte[] DataSetBytes(string path)
    {
        var source = Part10Source.Read(path);
        return File.ReadAllBytes(path)[(int)source.DataSetOffset..];
    }
}
