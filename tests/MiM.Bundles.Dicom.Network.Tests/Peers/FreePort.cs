using System.Net;
using System.Net.Sockets;

namespace MiM.Bundles.Dicom.Network.Tests.Peers;

/// <summary>A TCP port free right now, for peers that cannot bind port 0 and tell us which port they got.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
