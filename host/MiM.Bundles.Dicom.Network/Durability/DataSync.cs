using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// fdatasync and fallocate on an open file (.NET exposes neither). fdatasync flushes a file's data and only the
/// metadata needed to read it back (size, block map), not timestamps: overwriting blocks that are already allocated
/// and written costs one device flush and no file-system journal commit, which is what the inbox journal relies on.
/// </summary>
internal static partial class DataSync
{
    /// <summary>Makes the data written to <paramref name="file"/> durable (fdatasync on Linux, a full fsync elsewhere).</summary>
    public static void Flush(FileStream file)
    {
        if (!OperatingSystem.IsLinux())
        {
            file.Flush(flushToDisk: true); // macOS: F_FULLFSYNC; Windows: FlushFileBuffers
            return;
        }

        var handle = file.SafeFileHandle;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Fdatasync((int)handle.DangerousGetHandle()) != 0)
            {
                throw new IOException($"fdatasync of {file.Name} failed", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>Reserves <paramref name="length"/> bytes for <paramref name="file"/> (fallocate on Linux, a plain size
    /// change elsewhere), so later writes inside it never run out of space nor grow the file.</summary>
    public static void Preallocate(FileStream file, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            var handle = file.SafeFileHandle;
            var added = false;
            try
            {
                handle.DangerousAddRef(ref added);
                if (Fallocate((int)handle.DangerousGetHandle(), 0, 0, length) == 0)
                {
                    return;
                }
            }
            finally
            {
                if (added)
                {
                    handle.DangerousRelease();
                }
            }

            // EOPNOTSUPP (some file systems): a size change still reserves the file's length.
        }

        file.SetLength(length);
    }

    /// <summary>
    /// Makes everything written to the file system holding <paramref name="folder"/> durable, data and metadata, with
    /// one journal commit (syncfs; Linux reports write-back errors through it since 5.8). False off Linux, where the
    /// caller fsyncs each file and folder instead.
    /// </summary>
    public static bool TrySyncFileSystem(string folder)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        PathDescriptor.Run(folder, "syncfs", Syncfs);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int Syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    private static partial int Fdatasync(int fd);

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    private static partial int Fallocate(int fd, int mode, long offset, long length);
}
