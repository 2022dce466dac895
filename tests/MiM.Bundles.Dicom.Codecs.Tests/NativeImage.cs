using System.Globalization;
using System.Text;

namespace MiM.Bundles.Dicom.Codecs.Tests;

/// <summary>Native test pixels and how to write them as an Explicit VR Little Endian file with dump2dcm.</summary>
internal sealed record NativeImage(PixelFormat Format, int Frames, byte[] Pixels)
{
    public byte[] Frame(int index)
    {
        var length = (int)Format.FrameLength;
        return Pixels.AsSpan(index * length, length).ToArray();
    }

    public string WriteDicom(TempDir dir, string name)
    {
        var f = Format;
        File.WriteAllBytes(dir.File(name + ".raw"), Pixels);
        var dump = new StringBuilder();
        var color = f.SamplesPerPixel == 3;
        dump.AppendLine(color ? "(0008,0016) UI =SecondaryCaptureImageStorage" : "(0008,0016) UI =CTImageStorage");
        dump.AppendLine("(0008,0018) UI 1.2.826.0.1.3680043.2.1125.1." + name.Length.ToString(CultureInfo.InvariantCulture));
        dump.AppendLine(color ? "(0008,0060) CS OT" : "(0008,0060) CS CT");
        dump.AppendLine($"(0028,0002) US {f.SamplesPerPixel}");
        dump.AppendLine(color ? "(0028,0004) CS RGB" : "(0028,0004) CS MONOCHROME2");
        if (color)
        {
            dump.AppendLine($"(0028,0006) US {(f.PlanarConfiguration ? 1 : 0)}");
        }

        if (Frames > 1)
        {
            dump.AppendLine($"(0028,0008) IS {Frames}");
        }

        dump.AppendLine($"(0028,0010) US {f.Rows}");
        dump.AppendLine($"(0028,0011) US {f.Columns}");
        dump.AppendLine($"(0028,0100) US {f.BitsAllocated}");
        dump.AppendLine($"(0028,0101) US {f.BitsStored}");
        dump.AppendLine($"(0028,0102) US {f.BitsStored - 1}");
        dump.AppendLine($"(0028,0103) US {(f.Signed ? 1 : 0)}");
        dump.AppendLine($"(7fe0,0010) {(f.BitsAllocated == 8 ? "OB" : "OW")} ={name}.raw");
        File.WriteAllText(dir.File(name + ".txt"), dump.ToString());
        Peers.Run("dump2dcm", dir.Path, "--write-xfer-little", name + ".txt", name + ".dcm");
        return dir.File(name + ".dcm");
    }
}
