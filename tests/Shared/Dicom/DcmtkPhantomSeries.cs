using System.Buffers.Binary;
using MiM.Bundles.Contracts.Imaging;

namespace MiM.Bundles.Tests.Shared.Dicom;

/// <summary>
/// Writes a volume as a CT series with DCMTK's dump2dcm, one file per slice (CT0001.dcm …), voxels rounded to int16.
/// Linked into the test projects that need a real series on disk made by a peer, not by the host.
/// </summary>
internal static class DcmtkPhantomSeries
{
    /// <summary>
    /// Writes <paramref name="image"/> into <paramref name="folder"/>; study, series, instance and frame of reference UIDs
    /// are <paramref name="uidRoot"/>.1, .2, .3.(slice number) and .4.
    /// </summary>
    public static void Write(Volume image, string folder, string uidRoot)
    {
        Directory.CreateDirectory(folder);
        var g = image.Geometry;
        var plane = g.Size.I * g.Size.J;
        for (var k = 0; k < g.Size.K; k++)
        {
            var stem = Path.Combine(folder, $"CT{k + 1:D4}");
            var bytes = new byte[plane * 2];
            for (var p = 0; p < plane; p++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * p), (short)Math.Clamp(Math.Round(image.Voxels[(k * plane) + p]), short.MinValue, short.MaxValue));
            }

            File.WriteAllBytes(stem + ".raw", bytes);
            File.WriteAllText(stem + ".txt", new DcmtkSliceDump
            {
                StudyInstanceUid = $"{uidRoot}.1",
                SeriesInstanceUid = $"{uidRoot}.2",
                SopInstanceUid = $"{uidRoot}.3.{k + 1}",
                FrameOfReferenceUid = $"{uidRoot}.4",
                InstanceNumber = k + 1,
                Position = g.IndexToPhysical(0, 0, k),
                RowDirection = g.Direction.IAxis,
                ColumnDirection = g.Direction.JAxis,
                Rows = g.Size.J,
                Columns = g.Size.I,
                RowSpacing = g.Spacing.Y,
                ColumnSpacing = g.Spacing.X,
                SliceThickness = g.Spacing.Z,
                RawFile = stem + ".raw",
            }.ToText());
            var (code, stdout, stderr) = ExternalTool.Run("/usr/bin/dump2dcm", "--write-xfer-little", stem + ".txt", stem + ".dcm");
            Assert.True(code == 0, $"dump2dcm exited {code}: {stdout}{stderr} (run scripts/install-peers.sh)");
            File.Delete(stem + ".raw");
            File.Delete(stem + ".txt");
        }
    }
}
