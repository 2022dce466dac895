using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>Hard links a file (no copy of the bytes) where the file system allows it (.NET has no API for it).</summary>
internal static partial class HardLink
{
    /// <summary>Makes <paramref name="link"/> a second name of <paramref name="existing"/>; false when the platform or
    /// file system cannot (different volume, no Unix, no permission), so the caller copies instead.</summary>
    public static bool TryCreate(string existing, string link)
        => (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) && Link(existing, link) == 0;

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string link);
}
