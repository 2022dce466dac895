using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using MiM.Bundles.Packaging.Refusals;

namespace MiM.Bundles.Packaging.Installation;

/// <summary>
/// Opens an installed file for reading only if it is a regular file. .NET reports a FIFO or a device as a "Normal" file
/// and opening a FIFO blocks until a writer comes, so on Linux the file is opened non-blocking and refused unless
/// seekable (regular files are; FIFOs, sockets and character devices are not).
/// </summary>
internal static partial class RegularFile
{
    // The same values on x86-64 and arm64 (asm-generic): O_RDONLY 0, O_NONBLOCK 04000, O_CLOEXEC 02000000.
    private const int ReadOnlyNonBlocking = 0x800 | 0x80000;

    public static FileStream OpenRead(string path)
    {
        FileStream stream;
        if (OperatingSystem.IsLinux())
        {
            var fd = Open(path, ReadOnlyNonBlocking);
            if (fd < 0)
            {
                throw new IOException($"cannot open {path} (errno {Marshal.GetLastPInvokeError()})");
            }

            stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Read, 1);
        }
        else
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }

        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new BundleRefusedException(RefusalReason.LinkOrDevice, $"{path} is not a regular file (a FIFO, socket or device)");
        }

        return stream;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
