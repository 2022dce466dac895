#nullable disable
// Compiled by MSBuild's RoslynCodeTaskFactory (see TorchSharpNative.targets); not part of any project.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on each GLIBCXX version-need of an ELF64 library that the system libstdc++ does not
/// define, so the dynamic loader accepts the library. Only safe for needs whose symbols are never called,
/// which is the case for TorchSharp 0.107's GLIBCXX_3.4.32 (_ZSt21ios_base_library_initv).
/// </summary>
public sealed class WeakenMissingGlibcxxNeeds : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] LibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    [Required]
    public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        string libstdcxx = null;
        foreach (var candidate in LibstdcxxCandidates)
        {
            if (File.Exists(candidate)) { libstdcxx = candidate; break; }
        }

        if (libstdcxx == null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++ found; TorchSharp native library left as shipped.");
            return true;
        }

        var systemText = Encoding.ASCII.GetString(File.ReadAllBytes(libstdcxx));
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            var bytes = File.ReadAllBytes(path);
            var weakened = WeakenNeeds(bytes, name => name.StartsWith("GLIBCXX_", StringComparison.Ordinal)
                && !systemText.Contains(name + "\0"));
            if (weakened.Count == 0)
            {
                continue;
            }

            // Write a new file and move it over the old one, so a hard link into a package cache is never modified.
            var temp = path + ".patching";
            File.WriteAllBytes(temp, bytes);
            File.Delete(path);
            File.Move(temp, path);
            Log.LogMessage(MessageImportance.High,
                $"{path}: marked {string.Join(", ", weakened)} weak (absent from {libstdcxx}).");
        }

        return !Log.HasLoggedErrors;
    }

    private List<string> WeakenNeeds(byte[] elf, Func<string, bool> shouldWeaken)
    {
        var changed = new List<string>();
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
        {
            Log.LogWarning($"Not a little-endian ELF64 file; left unchanged.");
            return changed;
        }

        var shoff = (long)BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        for (var s = 0; s < shnum; s++)
        {
            var sh = shoff + (s * shentsize);
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = (long)BitConverter.ToUInt64(elf, (int)sh + 24);
            var link = BitConverter.ToUInt32(elf, (int)sh + 40);
            var count = BitConverter.ToUInt32(elf, (int)sh + 44);
            var strtab = (long)BitConverter.ToUInt64(elf, (int)(shoff + (link * shentsize) + 24));

            var need = offset;
            for (var n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                var aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                    var name = ReadCString(elf, strtab + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if ((flags & VerFlgWeak) == 0 && shouldWeaken(name))
                    {
                        var weak = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
                        elf[aux + 4] = weak[0];
                        elf[aux + 5] = weak[1];
                        changed.Add(name);
                    }

                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }

                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
        }

        return changed;
    }

    private static string ReadCString(byte[] bytes, long start)
    {
        var end = start;
        while (bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }
}
