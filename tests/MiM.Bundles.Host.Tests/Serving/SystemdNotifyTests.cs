using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>
/// Type=notify as systemd sees it, without systemd (not PID 1 here): `mim serve` runs as the child of a process named
/// "systemd" — how .NET's hosting tells it is a service — with NOTIFY_SOCKET naming a datagram socket this test
/// reads, the socket systemd would listen on.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Under_systemd_the_host_says_READY_once_it_listens_and_STOPPING_on_SIGTERM()
    {
        var socketPath = Path.Combine(_temp.Path, "notify");
        using var socket = BindNotifySocket(socketPath);
        var systemd = Path.Combine(_temp.Path, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/sh");
        var bundles = _temp.Sub("bundles");
        Directory.CreateDirectory(bundles);

        using var server = MimServer.StartUnder(systemd, new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath }, _temp.Sub("data"), bundles);

        // StartUnder returned once the SCP printed its port; READY follows when every hosted service has started.
        var beforeStop = ReceiveUntil(socket, "READY=1");
        Assert.DoesNotContain("STOPPING=1", beforeStop);
        Assert.Equal(0, server.Terminate(Timeout));
        var afterStop = ReceiveUntil(socket, "STOPPING=1");
        Assert.DoesNotContain("READY=1", afterStop);
    }

    [Fact]
    public void A_parent_not_named_systemd_gets_no_notification()
    {
        var socketPath = Path.Combine(_temp.Path, "notify");
        using var socket = BindNotifySocket(socketPath);
        var bundles = _temp.Sub("bundles");
        Directory.CreateDirectory(bundles);

        using var server = MimServer.StartUnder("/bin/sh", new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath }, _temp.Sub("data"), bundles);
        Assert.Equal(0, server.Terminate(Timeout));

        socket.ReceiveTimeout = 1000;
        Assert.Throws<SocketException>(() => socket.Receive(new byte[4096]));
    }

    /// <summary>The datagram socket systemd would read (what NOTIFY_SOCKET names).</summary>
    private static Socket BindNotifySocket(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        return socket;
    }

    /// <summary>The datagrams received until one holds <paramref name="message"/>, one per line.</summary>
    private static List<string> ReceiveUntil(Socket socket, string message)
    {
        var received = new List<string>();
        var buffer = new byte[4096];
        var clock = Stopwatch.StartNew();
        socket.ReceiveTimeout = 1000;
        while (!received.Any(r => r.Split('\n').Contains(message)))
        {
            Assert.True(clock.Elapsed < Timeout, $"no {message} within {Timeout}; received: {string.Join(" | ", received)}");
            try
            {
                var length = socket.Receive(buffer);
                received.Add(Encoding.UTF8.GetString(buffer, 0, length));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
            }
        }

        return received;
    }
}
