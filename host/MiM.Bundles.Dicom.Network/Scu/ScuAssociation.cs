using System.Net.Sockets;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Security;
using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>
/// One association as requester: connect, negotiate the proposed contexts, exchange DIMSE messages one at a time,
/// release. Upper layer failures surface as <see cref="DicomNetworkException"/>.
/// </summary>
internal sealed class ScuAssociation : IAsyncDisposable
{
    private readonly PduChannel _channel;
    private readonly DicomScuOptions _options;
    private readonly Dictionary<byte, PresentationContextResult> _results;
    private readonly Dictionary<byte, string> _abstractSyntaxes;
    private readonly PDataWriter _writer;
    private readonly MemoryStream _response = new();
    private ushort _nextMessageId = 1;

    private ScuAssociation(PduChannel channel, DicomScuOptions options, AssociateRequest request, AssociateAccept accept)
    {
        _channel = channel;
        _options = options;
        _abstractSyntaxes = request.PresentationContexts.ToDictionary(c => c.Id, c => c.AbstractSyntaxUid);
        _results = accept.PresentationContexts.Where(c => _abstractSyntaxes.ContainsKey(c.Id)).ToDictionary(c => c.Id);
        _writer = new PDataWriter(channel.Stream, accept.UserInformation.MaximumLength);
        PeerImplementationClassUid = accept.UserInformation.ImplementationClassUid;
    }

    /// <summary>The acceptor's implementation class UID.</summary>
    public string PeerImplementationClassUid { get; }

    /// <summary>Connects and negotiates; throws <see cref="DicomNetworkException"/> when refused, rejected or aborted.</summary>
    public static async Task<ScuAssociation> OpenAsync(DicomDestination destination, IReadOnlyList<ProposedPresentationContext> contexts, DicomScuOptions options, CancellationToken cancellationToken)
    {
        var where = $"{destination.CalledAeTitle}@{destination.Host}:{destination.Port}";
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream transport;
        try
        {
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                connect.CancelAfter(options.ConnectTimeout);
                await socket.ConnectAsync(destination.Host, destination.Port, connect.Token).ConfigureAwait(false);

                // Set once connected: before, it would also cut short the connect's own retries.
                UnacknowledgedDataLimit.Apply(socket, options.WriteTimeout);
                transport = new NetworkStream(socket, ownsSocket: true);
                if (options.Tls is { } tls)
                {
                    transport = await TlsTransport.AuthenticateAsClientAsync(transport, destination.Host, tls, connect.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is SocketException or IOException or System.Security.Authentication.AuthenticationException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            socket.Dispose();
            throw new DicomNetworkException($"cannot connect to {where}: {e.Message}", e);
        }

        var channel = new PduChannel(transport, options.MaximumPduLength, options.WriteTimeout);
        try
        {
            var request = new AssociateRequest(
                destination.CalledAeTitle,
                destination.CallingAeTitle,
                DicomUids.ApplicationContext,
                contexts,
                new UserInformation(options.MaximumPduLength, DicomFileWriter.ImplementationClassUid, DicomFileWriter.ImplementationVersionName));
            await WriteAsync(() => channel.WriteAsync(AssociationPduCodec.EncodeRequest(request), cancellationToken), where).ConfigureAwait(false);
            var answer = await ReadAsync(channel, options.ArtimTimeout, where, cancellationToken).ConfigureAwait(false);
            switch (answer.Type)
            {
                case PduType.AssociateAccept:
                    return new ScuAssociation(channel, options, request, AssociationPduCodec.DecodeAccept(answer.Body.Span));
                case PduType.AssociateReject:
                    var reason = AssociationPduCodec.DecodeReject(answer.Body.Span);
                    throw new DicomNetworkException($"{where} rejected the association: {reason.Describe()}");
                case PduType.Abort:
                    throw new DicomNetworkException($"{where} aborted the association request ({AssociationPduCodec.DecodeAbort(answer.Body.Span)})");
                default:
                    await channel.TryAbortAsync(AbortReason.UnexpectedPdu).ConfigureAwait(false);
                    throw new DicomNetworkException($"{where} answered the association request with {answer.Type}");
            }
        }
        catch
        {
            await channel.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The accepted context for an abstract syntax in a transfer syntax, if any.</summary>
    public byte? FindContext(string abstractSyntaxUid, string? transferSyntaxUid = null)
    {
        foreach (var (id, result) in _results)
        {
            if (result.Accepted && _abstractSyntaxes[id] == abstractSyntaxUid && (transferSyntaxUid is null || result.TransferSyntaxUid == transferSyntaxUid))
            {
                return id;
            }
        }

        return null;
    }

    /// <summary>C-ECHO: returns the status of the response.</summary>
    public async Task<ushort> EchoAsync(CancellationToken cancellationToken)
    {
        var context = FindContext(DicomUids.Verification) ?? throw new DicomNetworkException("the peer did not accept the Verification SOP class");
        var request = new DimseCommand { CommandField = DimseCommandField.CEchoRequest, MessageId = _nextMessageId++, AffectedSopClassUid = DicomUids.Verification };
        await WriteAsync(() => _writer.WriteAsync(context, isCommand: true, request.Encode(), cancellationToken), "peer").ConfigureAwait(false);
        var response = await ReadResponseAsync(request.MessageId, cancellationToken).ConfigureAwait(false);
        return response.Status ?? DimseStatus.CannotUnderstand;
    }

    /// <summary>C-STORE of one file's data set bytes, as they are, on the given context; returns the response.</summary>
    public async Task<DimseCommand> StoreAsync(byte context, Part10Source source, CancellationToken cancellationToken)
    {
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.CStoreRequest,
            MessageId = _nextMessageId++,
            AffectedSopClassUid = source.SopClassUid,
            AffectedSopInstanceUid = source.SopInstanceUid,
            HasDataSet = true,
        };
        var file = new FileStream(source.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            file.Position = source.DataSetOffset;
            await WriteAsync(() => _writer.WriteAsync(context, isCommand: true, request.Encode(), cancellationToken), "peer").ConfigureAwait(false);
            await WriteAsync(() => _writer.WriteDataSetAsync(context, file, source.DataSetLength, cancellationToken), "peer").ConfigureAwait(false);
        }

        if (_nextMessageId == 0)
        {
            _nextMessageId = 1;
        }

        return await ReadResponseAsync(request.MessageId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A-RELEASE-RQ, waits for the A-RELEASE-RP, closes.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        await WriteAsync(() => _channel.WriteAsync(AssociationPduCodec.EncodeReleaseRequest(), cancellationToken), "peer").ConfigureAwait(false);
        var answer = await ReadAsync(_channel, _options.ArtimTimeout, "peer", cancellationToken).ConfigureAwait(false);
        if (answer.Type != PduType.ReleaseResponse)
        {
            await _channel.TryAbortAsync(AbortReason.UnexpectedPdu).ConfigureAwait(false);
            throw new DicomNetworkException($"peer answered A-RELEASE-RQ with {answer.Type}");
        }
    }

    /// <summary>A-ABORT (service user).</summary>
    public ValueTask AbortAsync() => _channel.TryAbortAsync(AbortReason.ServiceUser);

    /// <summary>Sends raw bytes on the association; tests use it to break the protocol on purpose.</summary>
    internal PDataWriter Writer => _writer;

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync().ConfigureAwait(false);
        await _response.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<DimseCommand> ReadResponseAsync(ushort messageId, CancellationToken cancellationToken)
    {
        _response.SetLength(0);
        while (true)
        {
            var pdu = await ReadAsync(_channel, _options.ResponseTimeout, "peer", cancellationToken).ConfigureAwait(false);
            if (pdu.Type == PduType.Abort)
            {
                throw new DicomNetworkException($"peer aborted the association ({AssociationPduCodec.DecodeAbort(pdu.Body.Span)})");
            }

            if (pdu.Type != PduType.DataTransfer)
            {
                await _channel.TryAbortAsync(AbortReason.UnexpectedPdu).ConfigureAwait(false);
                throw new DicomNetworkException($"peer sent {pdu.Type} while a DIMSE response was expected");
            }

            foreach (var value in PresentationDataValue.Split(pdu.Body))
            {
                if (!value.IsCommand)
                {
                    continue;
                }

                if (_response.Length + value.Data.Length > 1 << 16)
                {
                    await _channel.TryAbortAsync(AbortReason.InvalidPduParameterValue).ConfigureAwait(false);
                    throw new DicomNetworkException("peer sent a response command longer than 64 KiB");
                }

                _response.Write(value.Data.Span);
                if (!value.IsLast)
                {
                    continue;
                }

                DimseCommand response;
                try
                {
                    response = DimseCommand.Decode(_response.GetBuffer().AsSpan(0, (int)_response.Length));
                }
                catch (FormatException e)
                {
                    await _channel.TryAbortAsync(AbortReason.ServiceUser).ConfigureAwait(false);
                    throw new DicomNetworkException($"unreadable response from peer: {e.Message}", e);
                }

                if (response.MessageIdBeingRespondedTo == messageId)
                {
                    return response;
                }

                _response.SetLength(0);
            }
        }
    }

    /// <summary>
    /// A write to the peer; a peer that stopped reading (write timeout) or a broken connection becomes a
    /// <see cref="DicomNetworkException"/>. Reading the file being sent may fail too: that stays an IOException.
    /// </summary>
    private static async Task WriteAsync(Func<ValueTask> write, string where)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (PeerNotReadingException e)
        {
            throw new DicomNetworkException($"{where}: {e.Message}", e);
        }
        catch (IOException e) when (e.InnerException is SocketException)
        {
            throw new DicomNetworkException($"connection to {where} lost: {e.Message}", e);
        }
    }

    private static async Task<Pdu> ReadAsync(PduChannel channel, TimeSpan timeout, string where, CancellationToken cancellationToken)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(timeout);
        try
        {
            return await channel.ReadAsync(timer.Token).ConfigureAwait(false) ?? throw new DicomNetworkException($"{where} closed the connection");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await channel.TryAbortAsync(AbortReason.NotSpecified).ConfigureAwait(false);
            throw new DicomNetworkException($"{where} did not answer within {timeout.TotalSeconds:0} s");
        }
        catch (UpperLayerProtocolException e)
        {
            await channel.TryAbortAsync(e.Abort).ConfigureAwait(false);
            throw new DicomNetworkException($"{where} broke the upper layer protocol: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new DicomNetworkException($"connection to {where} lost: {e.Message}", e);
        }
    }
}
