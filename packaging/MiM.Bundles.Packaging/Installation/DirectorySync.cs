using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>
/// fsync of a directory, so a new name or a rename survives a power loss (.NET has no API for it). Same approach as the
/// DICOM inbox's; copied rather than referenced because this library must not depend on the DICOM projects.
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: fsync works on a read-only descriptor, directories included (O_DIRECTORY differs between architectures).
    private const int ReadOnly = 0;

    /// <summary>Flushes the entry table of <paramref name="directory"/> to disk (no-op off Unix).</summary>
    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // NTFS journals metadata; FlushFileBuffers on directories needs backup privileges.
        }

        var fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open {directory} to fsync it", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {directory} failed", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
