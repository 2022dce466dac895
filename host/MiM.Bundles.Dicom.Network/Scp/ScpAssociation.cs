using System.Net;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Inbox;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network.Logging;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>
/// Serves one association as acceptor: negotiation, then C-ECHO and C-STORE requests until release or abort.
/// A C-STORE data set is streamed into the <see cref="IInstanceStore"/> PDV by PDV; Success is answered only after
/// the store's commit said Stored or Duplicate, and an instance left open by an abort is disposed uncommitted.
/// </summary>
internal sealed class ScpAssociation : IDisposable
{
    private const int MaximumCommandLength = 1 << 16;

    private readonly DicomScpOptions _options;
    private readonly IInstanceStore _store;
    private readonly ILogger _logger;
    private readonly EndPoint? _remote;
    private readonly MemoryStream _command = new();
    private readonly Dictionary<byte, string> _contexts = [];
    private readonly Dictionary<byte, string> _contextSyntaxes = [];

    private string _calling = string.Empty;
    private string _called = string.Empty;

    // The peer chose these: escaped once for every log line of the association.
    private string _callingForLog = string.Empty;
    private string _calledForLog = string.Empty;
    private DimseCommand? _pending;
    private byte _pendingContext;
    private IIncomingInstance? _incoming;
    private ushort? _earlyStatus;
    private string? _earlyComment;
    private int _stored;
    private int _failed;
    private PDataWriter? _writer;

    public ScpAssociation(DicomScpOptions options, IInstanceStore store, ILogger logger, EndPoint? remote)
    {
        _options = options;
        _store = store;
        _logger = logger;
        _remote = remote;
    }

    public void Dispose() => _command.Dispose();

    public async Task RunAsync(Stream transport, CancellationToken stopping)
    {
        var channel = new PduChannel(transport, _options.MaximumPduLength, _options.WriteTimeout);
        await using (channel.ConfigureAwait(false))
        {
            var ending = "closed";
            Exception? failure = null;
            try
            {
                ending = await NegotiateAndServeAsync(channel, stopping).ConfigureAwait(false);
            }
            catch (UpperLayerProtocolException e)
            {
                ending = $"aborted ({e.Message})";
                await channel.TryAbortAsync(e.Abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                ending = "aborted (server stopping)";
                await channel.TryAbortAsync(AbortReason.ServiceUser).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                ending = "aborted (timer expired)";
                await channel.TryAbortAsync(AbortReason.NotSpecified).ConfigureAwait(false);
            }
            catch (PeerNotReadingException e)
            {
                // The stream is mid-PDU and the peer does not read: an A-ABORT could neither be framed nor delivered.
                ending = $"aborted ({e.Message})";
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or ObjectDisposedException)
            {
                ending = $"connection lost ({e.Message})";
            }
#pragma warning disable CA1031 // The association boundary: whatever failed (a store, a bug), this association ends, the others go on.
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = e;
                await channel.TryAbortAsync(AbortReason.ServiceUser).ConfigureAwait(false);
            }
            finally
            {
                await DiscardIncomingAsync().ConfigureAwait(false);
            }

            if (failure is not null)
            {
                // One line, at Error, with the exception: an operator must see it, and once.
                ScpLog.AssociationFailed(_logger, failure, _callingForLog, Remote, _calledForLog, _stored, _failed, failure.GetType().Name);
            }
            else
            {
                var endingForLog = LogText.Text(ending);
                ScpLog.AssociationEnded(_logger, _callingForLog, Remote, _calledForLog, _stored, _failed, endingForLog);
            }
        }
    }

    private async Task<string> NegotiateAndServeAsync(PduChannel channel, CancellationToken stopping)
    {
        var first = await ReadAsync(channel, _options.ArtimTimeout, stopping).ConfigureAwait(false);
        if (first is not { } pdu)
        {
            return "closed before associating";
        }

        if (pdu.Type != PduType.AssociateRequest)
        {
            throw new UpperLayerProtocolException(AbortReason.UnexpectedPdu, $"{pdu.Type} before A-ASSOCIATE-RQ");
        }

        var request = AssociationPduCodec.DecodeRequest(pdu.Body.Span);
        _calling = request.CallingAeTitle;
        _called = request.CalledAeTitle;
        (_callingForLog, _calledForLog) = (LogText.Peer(_calling), LogText.Peer(_called));
        if (Refusal(request) is { } reject)
        {
            await channel.WriteAsync(AssociationPduCodec.EncodeReject(reject), stopping).ConfigureAwait(false);
            await WaitForCloseAsync(channel, stopping).ConfigureAwait(false);
            return $"rejected ({reject.Describe()})";
        }

        var policy = new PresentationContextPolicy(_options.TransferSyntaxes);
        var results = request.PresentationContexts.Select(policy.Answer).ToList();
        foreach (var (proposed, result) in request.PresentationContexts.Zip(results))
        {
            if (result.Accepted)
            {
                _contexts[proposed.Id] = proposed.AbstractSyntaxUid;
                _contextSyntaxes[proposed.Id] = result.TransferSyntaxUid;
            }
        }

        var accept = new AssociateAccept(
            request.CalledAeTitle,
            request.CallingAeTitle,
            DicomUids.ApplicationContext,
            results,
            new UserInformation(_options.MaximumPduLength, DicomFileWriter.ImplementationClassUid, DicomFileWriter.ImplementationVersionName));
        await channel.WriteAsync(AssociationPduCodec.EncodeAccept(accept), stopping).ConfigureAwait(false);
        ScpLog.AssociationAccepted(_logger, _callingForLog, Remote, _calledForLog, _contexts.Count, request.PresentationContexts.Count);
        _writer = new PDataWriter(channel.Stream, request.UserInformation.MaximumLength);
        return await ServeAsync(channel, stopping).ConfigureAwait(false);
    }

    private string Remote => _remote?.ToString() ?? "?";

    private RejectReason? Refusal(AssociateRequest request)
    {
        if (request.ApplicationContextName != DicomUids.ApplicationContext)
        {
            return RejectReason.ApplicationContextNotSupported;
        }

        if (!string.Equals(request.CalledAeTitle, _options.AeTitle, StringComparison.Ordinal))
        {
            return RejectReason.CalledAeNotRecognized;
        }

        if (_options.AllowedCallingAeTitles is { Count: > 0 } allowed && !allowed.Contains(request.CallingAeTitle, StringComparer.Ordinal))
        {
            return RejectReason.CallingAeNotRecognized;
        }

        return null;
    }

    private async Task<string> ServeAsync(PduChannel channel, CancellationToken stopping)
    {
        while (true)
        {
            var next = await ReadAsync(channel, _options.IdleTimeout, stopping).ConfigureAwait(false);
            if (next is not { } pdu)
            {
                return _incoming is null && _pending is null ? "closed by peer without release" : "closed by peer mid-message";
            }

            switch (pdu.Type)
            {
                case PduType.DataTransfer:
                    foreach (var value in PresentationDataValue.Split(pdu.Body))
                    {
                        await OnValueAsync(value, stopping).ConfigureAwait(false);
                    }

                    break;
                case PduType.ReleaseRequest:
                    await DiscardIncomingAsync().ConfigureAwait(false);
                    await channel.WriteAsync(AssociationPduCodec.EncodeReleaseResponse(), stopping).ConfigureAwait(false);
                    await WaitForCloseAsync(channel, stopping).ConfigureAwait(false);
                    return "released";
                case PduType.Abort:
                    return $"aborted by peer ({AssociationPduCodec.DecodeAbort(pdu.Body.Span)})";
                default:
                    throw new UpperLayerProtocolException(AbortReason.UnexpectedPdu, $"{pdu.Type} inside an established association");
            }
        }
    }

    private async ValueTask OnValueAsync(PresentationDataValue value, CancellationToken cancellationToken)
    {
        if (!_contexts.ContainsKey(value.PresentationContextId))
        {
            throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, $"PDV on presentation context {value.PresentationContextId}, which was not accepted");
        }

        if (value.IsCommand)
        {
            if (_pending is not null)
            {
                throw new UpperLayerProtocolException(AbortReason.UnexpectedPdu, "command fragment while a data set was expected");
            }

            if (_command.Length + value.Data.Length > MaximumCommandLength)
            {
                throw new UpperLayerProtocolException(AbortReason.InvalidPduParameterValue, "command set longer than 64 KiB");
            }

            _command.Write(value.Data.Span);
            if (value.IsLast)
            {
                await OnCommandAsync(value.PresentationContextId, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (_pending is null || value.PresentationContextId != _pendingContext)
        {
            throw new UpperLayerProtocolException(AbortReason.UnexpectedPdu, "data set fragment without its command");
        }

        if (_incoming is not null)
        {
            try
            {
                await _incoming.WriteAsync(value.Data, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // Disk full or failing: this instance is lost, the association is not. Keep reading its data set
                // and answer it with a failure, so that the sender knows and can retry later.
                ScpLog.StoreFailed(_logger, LogText.Peer(_pending.AffectedSopInstanceUid ?? "?"), LogText.Text(e.Message));
                await DiscardInstanceAsync().ConfigureAwait(false);
                (_earlyStatus, _earlyComment) = StorageFailure(e, "the instance could not be written");
            }
        }

        if (value.IsLast)
        {
            await OnDataSetCompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask OnCommandAsync(byte contextId, CancellationToken cancellationToken)
    {
        DimseCommand command;
        try
        {
            command = DimseCommand.Decode(_command.GetBuffer().AsSpan(0, (int)_command.Length));
        }
        catch (FormatException e)
        {
            throw new UpperLayerProtocolException(AbortReason.ServiceUser, $"unreadable command set: {e.Message}");
        }
        finally
        {
            _command.SetLength(0);
        }

        if (!command.HasDataSet)
        {
            var status = command.CommandField == DimseCommandField.CEchoRequest ? DimseStatus.Success : DimseStatus.UnrecognizedOperation;
            await RespondAsync(contextId, command, status, null, cancellationToken).ConfigureAwait(false);
            return;
        }

        _pending = command;
        _pendingContext = contextId;
        (_earlyStatus, _earlyComment) = (null, null);
        if (command.CommandField != DimseCommandField.CStoreRequest)
        {
            (_earlyStatus, _earlyComment) = (DimseStatus.UnrecognizedOperation, "only C-ECHO and C-STORE are served");
        }
        else if (command.AffectedSopClassUid != _contexts[contextId])
        {
            (_earlyStatus, _earlyComment) = (DimseStatus.SopClassNotSupported, "SOP class differs from the presentation context's abstract syntax");
        }
        else if (string.IsNullOrEmpty(command.AffectedSopInstanceUid))
        {
            (_earlyStatus, _earlyComment) = (DimseStatus.CannotUnderstand, "no Affected SOP Instance UID");
        }
        else
        {
            try
            {
                _incoming = await _store.BeginAsync(
                    new IncomingInstanceInfo(command.AffectedSopClassUid, command.AffectedSopInstanceUid, _contextSyntaxes[contextId], _calling, _called),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                ScpLog.StoreFailed(_logger, LogText.Peer(command.AffectedSopInstanceUid), LogText.Text(e.Message));
                (_earlyStatus, _earlyComment) = StorageFailure(e, "the instance could not be stored");
            }
            catch (UnauthorizedAccessException e)
            {
                ScpLog.StoreFailed(_logger, LogText.Peer(command.AffectedSopInstanceUid), LogText.Text(e.Message));
                (_earlyStatus, _earlyComment) = (DimseStatus.ProcessingFailure, "the instance could not be stored");
            }
        }
    }

    private async ValueTask OnDataSetCompleteAsync(CancellationToken cancellationToken)
    {
        var command = _pending!;
        _pending = null;
        var status = _earlyStatus ?? DimseStatus.ProcessingFailure;
        var comment = _earlyComment;
        if (_incoming is { } incoming)
        {
            _incoming = null;
            try
            {
                var outcome = await incoming.CommitAsync(cancellationToken).ConfigureAwait(false);
                status = DimseStatus.FromStoreStatus(outcome.Status);
                comment = outcome.Reason;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                ScpLog.StoreFailed(_logger, LogText.Peer(command.AffectedSopInstanceUid ?? "?"), LogText.Text(e.Message));
                (status, comment) = StorageFailure(e, "the instance could not be stored");
            }
            finally
            {
                await incoming.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (status == DimseStatus.Success)
        {
            _stored++;
        }
        else
        {
            _failed++;
            ScpLog.StoreRefused(_logger, LogText.Peer(command.AffectedSopInstanceUid ?? "?"), status, LogText.Text(comment));
        }

        await RespondAsync(_pendingContext, command, status, status == DimseStatus.Success ? null : comment, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a store that failed for a storage reason: a full disk or quota is "Refused: out of resources"
    /// (A700), which tells the sender to try again later; any other I/O error is a processing failure (0110), which
    /// senders (our outbox included) retry as well. Neither puts the instance in failed/.
    /// </summary>
    private static (ushort Status, string Comment) StorageFailure(Exception e, string comment)
        => StorageErrors.IsDiskFull(e) ? (DimseStatus.OutOfResources, "out of disk space") : (DimseStatus.ProcessingFailure, comment);

    private async ValueTask RespondAsync(byte contextId, DimseCommand request, ushort status, string? comment, CancellationToken cancellationToken)
    {
        var response = new DimseCommand
        {
            CommandField = request.CommandField switch
            {
                DimseCommandField.CEchoRequest => DimseCommandField.CEchoResponse,
                DimseCommandField.CStoreRequest => DimseCommandField.CStoreResponse,
                var other => (DimseCommandField)((ushort)other | 0x8000),
            },
            MessageIdBeingRespondedTo = request.MessageId,
            AffectedSopClassUid = request.AffectedSopClassUid,
            AffectedSopInstanceUid = request.AffectedSopInstanceUid,
            Status = status,
            ErrorComment = comment,
        };
        await _writer!.WriteAsync(contextId, isCommand: true, response.Encode(), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask DiscardIncomingAsync()
    {
        _pending = null;
        await DiscardInstanceAsync().ConfigureAwait(false);
    }

    private async ValueTask DiscardInstanceAsync()
    {
        if (_incoming is { } incoming)
        {
            _incoming = null;
            await incoming.DisposeAsync().ConfigureAwait(false);
        }
    }

    // After A-ASSOCIATE-RJ or A-RELEASE-RP the requester closes the connection; ARTIM bounds the wait (PS3.8 9.2).
    private async Task WaitForCloseAsync(PduChannel channel, CancellationToken stopping)
    {
        try
        {
            while (await ReadAsync(channel, _options.ArtimTimeout, stopping).ConfigureAwait(false) is not null)
            {
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or UpperLayerProtocolException)
        {
            // The peer did not close in time or sent garbage: we close anyway.
        }
    }

    private static async ValueTask<Pdu?> ReadAsync(PduChannel channel, TimeSpan timeout, CancellationToken stopping)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timer.CancelAfter(timeout);
        return await channel.ReadAsync(timer.Token).ConfigureAwait(false);
    }
}
