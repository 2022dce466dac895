using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// fsync of a directory or of a file by path, so that a rename or a new file name survives a power loss (.NET has no
/// API for it: a FileStream cannot be opened on a directory, and one opened for reading does not fsync).
/// </summary>
internal static partial class DirectorySync
{
    /// <summary>Flushes the directory entry table of <paramref name="directory"/> to disk (no-op off Unix).</summary>
    public static void Flush(string directory) => Fsync(directory);

    /// <summary>Flushes the data of an existing file (one that another writer or a hard link made) to disk (no-op off Unix).</summary>
    public static void FlushFile(string file) => Fsync(file);

    private static void Fsync(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return; // NTFS journals metadata; FlushFileBuffers on directories needs backup privileges.
        }

        PathDescriptor.Run(path, "fsync", Fsync);
    }

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);
}
