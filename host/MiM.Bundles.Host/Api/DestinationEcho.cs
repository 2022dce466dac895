using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Dicom.Network;
using MiM.Bundles.Dicom.Network.Outbox;
using MiM.Bundles.Dicom.Network.Scu;

namespace MiM.Bundles.Host.Api;

/// <summary>The outcome of a C-ECHO to a destination.</summary>
/// <param name="Destination">The destination's name.</param>
/// <param name="Success">True when the destination answered C-ECHO with status 0000.</param>
/// <param name="Status">The C-ECHO status; null when no association was made.</param>
/// <param name="Error">Why it failed; null on success.</param>
/// <param name="Milliseconds">How long the association, echo and release took.</param>
public sealed record EchoOutcome(string Destination, bool Success, ushort? Status, string? Error, long Milliseconds);

/// <summary>Tests a destination as the outbox would reach it: associate, C-ECHO, release, with the outbox's SCU settings (TLS included).</summary>
/// <param name="options">The SCU settings (timeouts, TLS); defaults when null.</param>
/// <param name="logger">The SCU's logger.</param>
public sealed class DestinationEcho(DicomScuOptions? options, ILogger<DicomScu> logger)
{
    /// <summary>Echoes <paramref name="destination"/>; a failure is an outcome, not an exception.</summary>
    public async Task<EchoOutcome> EchoAsync(DicomDestination destination, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var clock = Stopwatch.StartNew();
        try
        {
            var status = await new DicomScu(options, logger).EchoAsync(destination, cancellationToken).ConfigureAwait(false);
            return new EchoOutcome(destination.Name, status == 0, status, status == 0 ? null : $"C-ECHO status 0x{status:X4}", clock.ElapsedMilliseconds);
        }
        catch (Exception e) when (e is DicomNetworkException or SocketException or IOException or TimeoutException or System.Security.Authentication.AuthenticationException
                                  || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new EchoOutcome(destination.Name, false, null, e.Message, clock.ElapsedMilliseconds);
        }
    }
}
