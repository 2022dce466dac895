using System.Net.Sockets;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// The write timeout one layer down: how long bytes the kernel has already taken from us may stay unacknowledged, or
/// unsent because the peer's window is closed, before the kernel ends the connection (Linux TCP_USER_TIMEOUT, tcp(7)).
/// A write that completed into the kernel's send buffer is beyond <see cref="WriteTimeoutStream"/>'s reach: when every
/// answer fits the send buffer, a peer that stops reading leaves us waiting for its next request while our answers
/// sit unsent, and the association is held until the idle timeout (WriteTimeoutTests: 300 C-ECHO answers queued for
/// a peer with a closed window kept the association open past 30 s with a 1 s write timeout; in a flood of requests
/// the same stall, reached by chance, failed that test 3 times in about 200 runs under load).
/// Elsewhere than Linux nothing is set; the write and idle timeouts still apply there.
/// </summary>
internal static class UnacknowledgedDataLimit
{
    private const int IpProtoTcp = 6;
    private const int TcpUserTimeout = 18;

    /// <summary>Sets the limit on a connected TCP socket; <see cref="Timeout.InfiniteTimeSpan"/> leaves the kernel's default (none).</summary>
    public static void Apply(Socket socket, TimeSpan limit)
    {
        if (!OperatingSystem.IsLinux() || limit == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        var milliseconds = (int)Math.Clamp(limit.TotalMilliseconds, 1, int.MaxValue);
        socket.SetRawSocketOption(IpProtoTcp, TcpUserTimeout, BitConverter.GetBytes(milliseconds));
    }
}
