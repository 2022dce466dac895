using MiM.Bundles.Dicom.Network.Dimse;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.UpperLayer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Dicom.Network.Logging;

namespace MiM.Bundles.Dicom.Network.Scu;

/// <summary>
/// Storage and verification SCU: C-ECHO, and C-STORE of Part 10 files over one association. Each file is sent in its
/// own transfer syntax, byte for byte. When the peer refuses that transfer syntax, a native data set is re-encoded
/// as explicit VR little endian (see <see cref="ExplicitLittleEndianConversion"/>); any other file is reported.
/// </summary>
public sealed class DicomScu : IDicomSender
{
    private const int MaximumContexts = 127;

    private readonly DicomScuOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates the SCU.</summary>
    public DicomScu(DicomScuOptions? options = null, ILogger<DicomScu>? logger = null)
    {
        _options = options ?? new DicomScuOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Associates, sends C-ECHO, releases; returns the C-ECHO status (0000 = success).</summary>
    public async Task<ushort> EchoAsync(DicomDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ProposedPresentationContext[] contexts = [new(1, DicomUids.Verification, [DicomUids.ImplicitVrLittleEndian])];
        var association = await ScuAssociation.OpenAsync(destination, contexts, _options, cancellationToken).ConfigureAwait(false);
        await using (association.ConfigureAwait(false))
        {
            var status = await association.EchoAsync(cancellationToken).ConfigureAwait(false);
            await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
            return status;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<FileSendOutcome>> SendAsync(DicomDestination destination, IReadOnlyList<string> files, CancellationToken cancellationToken)
        => SendAsync(destination, files, null, cancellationToken);

    /// <summary>As <see cref="SendAsync(DicomDestination, IReadOnlyList{string}, CancellationToken)"/>, reporting each file's outcome as it is known.</summary>
    public async Task<IReadOnlyList<FileSendOutcome>> SendAsync(DicomDestination destination, IReadOnlyList<string> files, IProgress<FileSendOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(files);
        var outcomes = new FileSendOutcome?[files.Count];
        var sources = new Part10Source?[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            try
            {
                sources[i] = Part10Source.Read(files[i]);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                outcomes[i] = Report(new FileSendOutcome(files[i], null, e.Message), progress);
            }
        }

        var contexts = Propose(sources);
        if (contexts.Count > 0)
        {
            var association = await ScuAssociation.OpenAsync(destination, contexts, _options, cancellationToken).ConfigureAwait(false);
            await using (association.ConfigureAwait(false))
            {
                try
                {
                    await StoreAllAsync(association, sources, outcomes, progress, cancellationToken).ConfigureAwait(false);
                    await association.ReleaseAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    await association.AbortAsync().ConfigureAwait(false);
                    throw;
                }
                catch (Exception e) when (e is DicomNetworkException or IOException)
                {
                    // What the peer answered before the break stays answered: the caller must not send those again.
                    await association.AbortAsync().ConfigureAwait(false);
                    throw new DicomNetworkException(e.Message, e, [.. outcomes.OfType<FileSendOutcome>()]);
                }
            }
        }

        return [.. outcomes.Select((o, i) => o ?? new FileSendOutcome(files[i], null, "not sent: no presentation context could be proposed"))];
    }

    private async Task StoreAllAsync(ScuAssociation association, Part10Source?[] sources, FileSendOutcome?[] outcomes, IProgress<FileSendOutcome>? progress, CancellationToken cancellationToken)
    {
        for (var i = 0; i < sources.Length; i++)
        {
            if (sources[i] is not { } source)
            {
                continue;
            }

            var context = association.FindContext(source.SopClassUid, source.TransferSyntaxUid);
            Part10Source? converted = null;
            if (context is null
                && ExplicitLittleEndianConversion.Applies(source.TransferSyntaxUid)
                && association.FindContext(source.SopClassUid, DicomUids.ExplicitVrLittleEndian) is { } fallback)
            {
                try
                {
                    converted = ExplicitLittleEndianConversion.Convert(source);
                    context = fallback;
                }
                catch (Exception e) when (e is DicomException or IOException or InvalidDataException)
                {
                    outcomes[i] = Report(new FileSendOutcome(source.FilePath, null, $"cannot convert to explicit VR little endian: {e.Message}"), progress);
                    continue;
                }
            }

            if (context is not { } accepted)
            {
                outcomes[i] = Report(new FileSendOutcome(source.FilePath, null, $"peer accepted no presentation context for SOP class {source.SopClassUid} in transfer syntax {source.TransferSyntaxUid}") { NoPresentationContext = true }, progress);
                continue;
            }

            DimseCommand response;
            try
            {
                response = await association.StoreAsync(accepted, converted ?? source, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e) when (e is not EndOfStreamException && !File.Exists(source.FilePath))
            {
                throw new DicomNetworkException($"{source.FilePath} disappeared while it was sent", e);
            }
            finally
            {
                if (converted is not null)
                {
                    File.Delete(converted.FilePath);
                }
            }

            var status = response.Status ?? DimseStatus.CannotUnderstand;
            var outcome = new FileSendOutcome(source.FilePath, status, status == DimseStatus.Success ? null : response.ErrorComment ?? DimseStatus.Describe(status));
            var sopForLog = LogText.Peer(source.SopInstanceUid);
            ScuLog.Stored(_logger, sopForLog, status);
            outcomes[i] = Report(outcome, progress);
        }
    }

    // One context per (SOP class, transfer syntax) pair the files need, so that each file goes in its own encoding;
    // plus explicit VR little endian for a SOP class whose files could be converted to it if their own is refused.
    private static List<ProposedPresentationContext> Propose(Part10Source?[] sources)
    {
        var contexts = new List<ProposedPresentationContext>();
        var seen = new HashSet<(string, string)>();
        void Add(string sopClass, string syntax)
        {
            if (seen.Add((sopClass, syntax)) && contexts.Count < MaximumContexts)
            {
                contexts.Add(new ProposedPresentationContext((byte)((contexts.Count * 2) + 1), sopClass, [syntax]));
            }
        }

        foreach (var source in sources.OfType<Part10Source>())
        {
            Add(source.SopClassUid, source.TransferSyntaxUid);
        }

        foreach (var source in sources.OfType<Part10Source>().Where(s => ExplicitLittleEndianConversion.Applies(s.TransferSyntaxUid)))
        {
            Add(source.SopClassUid, DicomUids.ExplicitVrLittleEndian);
        }

        return contexts;
    }

    private static FileSendOutcome Report(FileSendOutcome outcome, IProgress<FileSendOutcome>? progress)
    {
        progress?.Report(outcome);
        return outcome;
    }
}
