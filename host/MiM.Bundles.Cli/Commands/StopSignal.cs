using System.Runtime.InteropServices;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// Turns Ctrl+C (SIGINT) and SIGTERM (service stop) into a cancellation request instead of ending the process, so
/// a long verb can finish its unit of work and save its state first. A second signal is not intercepted again.
/// </summary>
internal sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _source = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public StopSignal(Action onFirstSignal)
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Handle(context, onFirstSignal));
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Handle(context, onFirstSignal));
    }

    public CancellationToken Token => _source.Token;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _source.Dispose();
    }

    private void Handle(PosixSignalContext context, Action onFirstSignal)
    {
        if (_source.IsCancellationRequested)
        {
            return;
        }

        context.Cancel = true;
        onFirstSignal();
        _source.Cancel();
    }
}
