using System.ComponentModel;
using System.Runtime.InteropServices;

namespace MiM.Bundles.Dicom.Network.Durability;

/// <summary>
/// A read-only descriptor of a path, held for one system call (fsync, syncfs): .NET cannot open a directory as a
/// <see cref="FileStream"/>, and one opened for reading does not fsync.
/// </summary>
internal static partial class PathDescriptor
{
    // O_RDONLY: fsync and syncfs work on a read-only descriptor, directories included. (O_DIRECTORY's value differs
    // between architectures — on arm64 0x10000 is O_DIRECT — so it is not used.)
    private const int ReadOnly = 0;

    /// <summary>Opens <paramref name="path"/>, runs <paramref name="call"/> on its descriptor and closes it.</summary>
    /// <param name="path">A file or directory.</param>
    /// <param name="callName">The call's name for the error ("fsync").</param>
    /// <param name="call">The system call; non-zero is a failure with errno set.</param>
    /// <exception cref="IOException">The path could not be opened, or the call failed (errno as the inner exception).</exception>
    public static void Run(string path, string callName, Func<int, int> call)
    {
        var fd = Open(path, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"cannot open {path} for {callName}", new Win32Exception(Marshal.GetLastPInvokeError()));
        }

        try
        {
            if (call(fd) != 0)
            {
                throw new IOException($"{callName} of {path} failed", new Win32Exception(Marshal.GetLastPInvokeError()));
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
