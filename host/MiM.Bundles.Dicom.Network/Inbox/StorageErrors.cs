namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>Tells storage failures apart by what a sender should do about them.</summary>
internal static class StorageErrors
{
    // ENOSPC and EDQUOT as .NET reports them on Unix (HResult = errno); ERROR_DISK_FULL and ERROR_HANDLE_DISK_FULL on Windows.
    private const int NoSpace = 28;
    private const int QuotaExceeded = 122;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>
    /// Whether the volume (or the quota) is full, anywhere in the exception's causes: the sender should hear "Refused:
    /// out of resources" (A700) and try again later, not "processing failure".
    /// </summary>
    public static bool IsDiskFull(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException && e.HResult is NoSpace or QuotaExceeded or WindowsDiskFull or WindowsHandleDiskFull)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The I/O failure (not a malformed file) behind a read error, if any: an IOException other than end-of-stream,
    /// itself or as the cause of a DicomException. A truncated file ends its stream early (malformed data); an EIO,
    /// an EMFILE or a vanished network share is a property of the moment, and the same bytes may read fine again.
    /// </summary>
    public static IOException? TransientCause(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IOException io and not EndOfStreamException)
            {
                return io;
            }
        }

        return null;
    }
}
