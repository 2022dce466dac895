using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// An exclusive, machine-wide lock on a folder, held until disposed or until the process ends (a crash included: the
/// OS drops it with the descriptor). On Unix it is flock(2) on the folder itself, so the folder gains no file; the
/// descriptor is close-on-exec, so a child process never inherits the lock. Elsewhere it is a <c>.lock</c> file in
/// the folder opened with FileShare.None.
/// </summary>
internal sealed partial class FolderLock : IDisposable
{
    private const int LockExclusive = 2;
    private const int LockNonBlocking = 4;
    private const int WouldBlock = 11; // EAGAIN/EWOULDBLOCK on Linux
    private const int WouldBlockMac = 35;

    private readonly int _fd = -1;
    private readonly FileStream? _file;

    private FolderLock(int fd, FileStream? file)
    {
        _fd = fd;
        _file = file;
    }

    /// <summary>
    /// Takes the lock; null when someone else still holds it after <paramref name="grace"/>. Throws
    /// <see cref="IOException"/> when the folder cannot be opened. The grace covers a lock just released in this
    /// process: a child being started at that moment shares the descriptor from fork until its exec closes it, so
    /// the flock can outlive the holder's close by a moment (seen once in a test reopening an inbox at once).
    /// </summary>
    public static FolderLock? TryAcquire(string folder, TimeSpan grace)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            if (TryAcquire(folder) is { } taken)
            {
                return taken;
            }

            if (waited.Elapsed >= grace)
            {
                return null;
            }

            Thread.Sleep(20);
        }
    }

    private static FolderLock? TryAcquire(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            try
            {
                return new FolderLock(-1, new FileStream(Path.Combine(folder, ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                return null;
            }
        }

        var closeOnExec = OperatingSystem.IsMacOS() ? 0x1000000 : 0x80000;
        var fd = Open(folder, closeOnExec);
        if (fd < 0)
        {
            throw new IOException($"cannot open {folder} to lock it", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        if (Flock(fd, LockExclusive | LockNonBlocking) == 0)
        {
            return new FolderLock(fd, null);
        }

        var error = Marshal.GetLastPInvokeError();
        _ = Close(fd);
        return error is WouldBlock or WouldBlockMac
            ? null
            : throw new IOException($"cannot lock {folder}", new Win32Exception(error));
    }

    public void Dispose()
    {
        if (_fd >= 0)
        {
            _ = Close(_fd);
        }

        _file?.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
