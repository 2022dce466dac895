using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// fsync of a directory or of a file by path, so that a rename or a new file name survives a power loss (.NET has no
/// API for it: a FileStream cannot be opened on a directory, and one opened for reading does not fsync).
/// </summary>
internal static partial class DirectorySync
{
    // O_RDONLY: fsync works on a read-only descriptor, directories included. (O_DIRECTORY's value differs between
    // architectures — on arm64 0x10000 is O_DIRECT — so it is not used.)
    private const int ReadOnly = 0;

    /// <summary>Flushes the directory entry table of <paramref name="directory"/> to disk (no-op off Unix).</summary>
    public static void Flush(string directory) => Fsync(directory, ReadOnly);

    /// <summary>Flushes the data of an existing file (one that another writer or a hard link made) to disk (no-op off Unix).</summary>
    public static void FlushFile(string file) => Fsync(file, ReadOnly);

    private static void Fsync(string path, int flags)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // NTFS journals metadata; FlushFileBuffers on directories needs backup privileges.
        }

        var fd = Open(path, flags);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} to fsync it", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {path} failed", new Win32Exception(Marshal.GetLastPInvokeError()));
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
