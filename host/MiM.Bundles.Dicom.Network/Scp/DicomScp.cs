using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Dicom.Network.Logging;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>
/// A storage SCP (C-ECHO and C-STORE of any storage SOP class): accepts TCP (optionally TLS) connections and serves
/// each association concurrently, handing received instances to an <see cref="IInstanceStore"/>.
/// </summary>
public sealed class DicomScp : IAsyncDisposable
{
    private static readonly TimeSpan AcceptRetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a refused connection may take to close after its A-ASSOCIATE-RJ.</summary>
    private static readonly TimeSpan RefusalLinger = TimeSpan.FromSeconds(2);

    private readonly DicomScpOptions _options;
    private readonly IInstanceStore _store;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _associations = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _nextId;
    private int _active;
    private int _refusing;

    /// <summary>Creates the SCP; nothing listens before <see cref="Start"/>.</summary>
    public DicomScp(DicomScpOptions options, IInstanceStore store, ILogger<DicomScp>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        _options = options;
        _store = store;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The address and port listened on (the real port when <see cref="DicomScpOptions.Port"/> was 0).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener ?? throw new InvalidOperationException("the SCP is not started")).LocalEndpoint;

    /// <summary>Associations being served right now.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Binds the port and starts accepting associations.</summary>
    public void Start()
    {
        if (_listener is not null)
        {
            throw new InvalidOperationException("the SCP is already started");
        }

        _listener = new TcpListener(_options.BindAddress, _options.Port);
        _listener.Start(backlog: 128);
        var endPoint = LocalEndPoint.ToString();
        ScpLog.Listening(_logger, _options.AeTitle, endPoint);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Stops listening, aborts the associations still open (their partial instances are discarded) and waits for them.</summary>
    public async Task StopAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_associations.Values).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (SocketException e)
            {
                ScpLog.ConnectionFailed(_logger, "?", LogText.Text(e.Message));
                // A persistent failure (EMFILE) would otherwise spin this loop and flood the log.
                await Task.Delay(AcceptRetryDelay, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            try
            {
                socket.NoDelay = true;
                UnacknowledgedDataLimit.Apply(socket, _options.WriteTimeout);
            }
            catch (SocketException e)
            {
                // A peer that reset the connection already: drop it, keep accepting.
                ScpLog.ConnectionFailed(_logger, "?", LogText.Text(e.Message));
                socket.Dispose();
                continue;
            }

            var id = Interlocked.Increment(ref _nextId);

            // Only this loop increments the count, so the check and the increment cannot race with another accept.
            var overLimit = Volatile.Read(ref _active) >= _options.MaximumAssociations;
            if (overLimit)
            {
                Interlocked.Increment(ref _refusing);
                ScpMetrics.Refused.Add(1);
            }
            else
            {
                Interlocked.Increment(ref _active);
                ScpMetrics.Associations.Add(1);
                ScpMetrics.Active.Add(1);
            }

            // Registered before it may run: a connection that ends at once must not remove itself before it is added.
            var registered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _associations[id] = Task.Run(
                async () =>
                {
                    await registered.Task.ConfigureAwait(false);
                    if (overLimit)
                    {
                        await RefuseAsync(id, socket, stopping).ConfigureAwait(false);
                    }
                    else
                    {
                        await ServeAsync(id, socket, stopping).ConfigureAwait(false);
                    }
                },
                CancellationToken.None);
            registered.SetResult();
        }
    }

    /// <summary>
    /// A connection beyond <see cref="DicomScpOptions.MaximumAssociations"/>: answered with a transient A-ASSOCIATE-RJ
    /// (local limit exceeded) at once, before anything of it is read, so that it costs no receive buffer. What the peer
    /// sends is then discarded through a small fixed buffer until it closes (closing on unread bytes would reset the
    /// connection and could destroy the reject before the peer reads it), for at most <see cref="RefusalLinger"/>.
    /// Beyond twice the limit of such refusals at once, a connection is closed without a word.
    /// </summary>
    private async Task RefuseAsync(long id, Socket socket, CancellationToken stopping)
    {
        var remote = socket.RemoteEndPoint?.ToString() ?? "?";
        try
        {
            if (Volatile.Read(ref _refusing) > _options.MaximumAssociations * 2)
            {
                socket.LingerState = new LingerOption(true, 0);
                ScpLog.ConnectionRefused(_logger, remote, _options.MaximumAssociations, "closed");
                return;
            }

            // A new socket's send buffer is empty: these 10 bytes never block.
            socket.Send(AssociationPduCodec.EncodeReject(RejectReason.LocalLimitExceeded));
            socket.Shutdown(SocketShutdown.Send);
            ScpLog.ConnectionRefused(_logger, remote, _options.MaximumAssociations, "rejected (local limit exceeded)");
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            linger.CancelAfter(_options.ArtimTimeout < RefusalLinger ? _options.ArtimTimeout : RefusalLinger);
            var discard = new byte[256];
            while (await socket.ReceiveAsync(discard, SocketFlags.None, linger.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Gone, or it did not close in time: closed below either way.
        }
        finally
        {
            socket.Dispose();
            Interlocked.Decrement(ref _refusing);
            _associations.TryRemove(id, out _);
        }
    }

    private async Task ServeAsync(long id, Socket socket, CancellationToken stopping)
    {
        var remote = socket.RemoteEndPoint;
        try
        {
            Stream transport = new NetworkStream(socket, ownsSocket: true);
            if (_options.Tls is { } tls)
            {
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                handshake.CancelAfter(_options.ArtimTimeout);
                transport = await TlsTransport.AuthenticateAsServerAsync(transport, tls, handshake.Token).ConfigureAwait(false);
            }

            using var association = new ScpAssociation(_options, _store, _logger, remote);
            await association.RunAsync(transport, stopping).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException or SocketException)
        {
            var peer = remote?.ToString() ?? "?";
            ScpLog.ConnectionFailed(_logger, peer, LogText.Text(e.Message));
            socket.Dispose();
        }
#pragma warning disable CA1031 // The connection boundary (e.g. a corrupt certificate file, loaded per connection): close it, log it once, serve the others.
        catch (Exception e)
#pragma warning restore CA1031
        {
            ScpLog.ConnectionCrashed(_logger, e, remote?.ToString() ?? "?", e.GetType().Name);
            socket.Dispose();
        }
        finally
        {
            Interlocked.Decrement(ref _active);
            ScpMetrics.Active.Add(-1);
            _associations.TryRemove(id, out _);
        }
    }
}
