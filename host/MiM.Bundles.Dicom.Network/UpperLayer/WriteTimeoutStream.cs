using System.Net.Sockets;

namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>
/// The transport as the upper layer writes to it: each write (and flush) must complete within a time limit, or it is
/// cancelled and a <see cref="PeerNotReadingException"/> thrown. A peer that stops reading fills its receive window
/// and then ours; without a limit the write would wait for it forever, holding an association or an outbox worker.
/// After a timed-out write the stream is left mid-PDU, so every later write fails at once (no A-ABORT can follow).
/// The kernel may see the same peer first (<see cref="UnacknowledgedDataLimit"/> sets the same limit on the socket): a
/// write it ends with "connection timed out" is reported as the same <see cref="PeerNotReadingException"/>, so that
/// which of the two clocks ran out first does not change what the association reports.
/// </summary>
internal sealed class WriteTimeoutStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _timeout;
    private bool _timedOut;

    /// <param name="inner">The transport (TCP or TLS).</param>
    /// <param name="timeout">Limit per write; <see cref="Timeout.InfiniteTimeSpan"/> for none.</param>
    public WriteTimeoutStream(Stream inner, TimeSpan timeout)
    {
        _inner = inner;
        _timeout = timeout;
    }

    public override bool CanRead => _inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => _inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => _inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
        => WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfTimedOut();
        if (_timeout == Timeout.InfiniteTimeSpan)
        {
            await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(_timeout);
        try
        {
            await _inner.WriteAsync(buffer, timer.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsPeerNotReading(e, cancellationToken))
        {
            _timedOut = true;
            throw new PeerNotReadingException(_timeout);
        }
    }

    public override void Flush() => _inner.Flush();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfTimedOut();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            timer.CancelAfter(_timeout);
        }

        try
        {
            await _inner.FlushAsync(timer.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (_timeout != Timeout.InfiniteTimeSpan && IsPeerNotReading(e, cancellationToken))
        {
            _timedOut = true;
            throw new PeerNotReadingException(_timeout);
        }
    }

    /// <summary>Our timer cancelled the write (not the caller), or the kernel's limit on unacknowledged data ended the connection.</summary>
    private static bool IsPeerNotReading(Exception e, CancellationToken caller)
    {
        if (e is OperationCanceledException)
        {
            return !caller.IsCancellationRequested;
        }

        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.TimedOut })
            {
                return true;
            }
        }

        return false;
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ThrowIfTimedOut()
    {
        if (_timedOut)
        {
            throw new PeerNotReadingException(_timeout);
        }
    }
}

/// <summary>A write to the peer did not complete within the write timeout: the peer stopped reading.</summary>
internal sealed class PeerNotReadingException : IOException
{
    public PeerNotReadingException()
    {
    }

    public PeerNotReadingException(string message) : base(message)
    {
    }

    public PeerNotReadingException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public PeerNotReadingException(TimeSpan timeout)
        : base($"the peer stopped reading: a write did not complete within {timeout.TotalSeconds:0.#} s")
    {
    }
}
