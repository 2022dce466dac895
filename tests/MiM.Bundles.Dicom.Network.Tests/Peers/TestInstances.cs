using System.Globalization;
using System.Text;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>
/// Small CT instances made by DCMTK's dump2dcm (so that they are a real peer's encoding, not ours): one template is
/// written, then copied with fresh SOP Instance UIDs of the same length patched in place (fast for hundreds).
/// Also linked into MiM.Bundles.Host.Tests for the CLI tests.
/// </summary>
internal static partial class TestInstances
{
    public const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";

    public const string PydicomTestFiles = "/usr/lib/python3/dist-packages/pydicom/data/test_files";

    private const string Placeholder = "1.2.826.0.1.3680043.10.9999.77777777777777777777";

    public static List<string> MakeCt(string folder, int count, int size = 64)
    {
        Directory.CreateDirectory(folder);
        var template = Path.Combine(folder, "template.dcm.tmp");
        var raw = Path.Combine(folder, "pixels.raw");
        var pixels = new byte[size * size * 2];
        for (var i = 0; i < pixels.Length; i += 2)
        {
            pixels[i] = (byte)(i / 2 % 251);
            pixels[i + 1] = (byte)(i / 2 / size % 4);
        }

        File.WriteAllBytes(raw, pixels);
        var dump = Path.Combine(folder, "template.dump");
        File.WriteAllText(dump, Dump(size, raw));
        var made = PeerProcess.Run(TimeSpan.FromSeconds(30), "dump2dcm", "--write-xfer-little", dump, template);
        Assert.True(made.ExitCode == 0, made.Output);
        var bytes = File.ReadAllBytes(template);
        File.Delete(template);
        File.Delete(raw);
        File.Delete(dump);
        var placeholder = Encoding.ASCII.GetBytes(Placeholder);
        var files = new List<string>(count);
        // A UID component must not start with 0 (PS3.5 9.1): a leading 1, then the last 11 digits of the clock.
        var stamp = "1" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture)[^11..];
        for (var n = 0; n < count; n++)
        {
            var uid = Encoding.ASCII.GetBytes($"1.2.826.0.1.3680043.10.9999.{stamp}{n:D8}");
            Assert.Equal(placeholder.Length, uid.Length);
            var copy = (byte[])bytes.Clone();
            Replace(copy, placeholder, uid);
            var path = Path.Combine(folder, $"ct{n:D4}.dcm");
            File.WriteAllBytes(path, copy);
            files.Add(path);
        }

        return files;
    }

    private static void Replace(byte[] data, byte[] from, byte[] to)
    {
        var found = 0;
        for (var i = 0; i <= data.Length - from.Length; i++)
        {
            if (data.AsSpan(i, from.Length).SequenceEqual(from))
            {
                to.CopyTo(data, i);
                found++;
            }
        }

        Assert.Equal(2, found);
    }

    private static string Dump(int size, string raw)
    {
        var dump = new StringBuilder();
        void Line(string tag, string vr, string value) => dump.Append(CultureInfo.InvariantCulture, $"({tag}) {vr} {value}\n");
        Line("0008,0016", "UI", $"[{CtImageStorage}]");
        Line("0008,0018", "UI", $"[{Placeholder}]");
        Line("0008,0060", "CS", "[CT]");
        Line("0010,0010", "PN", "[Test^Network]");
        Line("0020,000d", "UI", "[1.2.826.0.1.3680043.10.9999.1]");
        Line("0020,000e", "UI", "[1.2.826.0.1.3680043.10.9999.1.1]");
        Line("0028,0002", "US", "1");
        Line("0028,0004", "CS", "[MONOCHROME2]");
        Line("0028,0010", "US", size.ToString(CultureInfo.InvariantCulture));
        Line("0028,0011", "US", size.ToString(CultureInfo.InvariantCulture));
        Line("0028,0100", "US", "16");
        Line("0028,0101", "US", "16");
        Line("0028,0102", "US", "15");
        Line("0028,0103", "US", "1");
        Line("7fe0,0010", "OW", "=" + raw);
        return dump.ToString();
    }
}
