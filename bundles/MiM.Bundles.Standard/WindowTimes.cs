using System.Diagnostics;

namespace MiM.Bundles.Standard;

/// <summary>
/// Where a head's sliding-window pass spends its time: the encoder's forward, the head's forward, and the rest (window
/// cutting, Gaussian weighting, stitching). CPU work is synchronous, so a stopwatch around each call measures it; on
/// CUDA the figures are launch times unless the device is synchronised.
/// </summary>
internal sealed class WindowTimes
{
    private readonly Stopwatch _encoder = new();
    private readonly Stopwatch _head = new();

    public TimeSpan Encoder => _encoder.Elapsed;

    public TimeSpan Head => _head.Elapsed;

    public T TimeEncoder<T>(Func<T> forward) => Time(_encoder, forward);

    public T TimeHead<T>(Func<T> forward) => Time(_head, forward);

    private static T Time<T>(Stopwatch clock, Func<T> forward)
    {
        clock.Start();
        try
        {
            return forward();
        }
        finally
        {
            clock.Stop();
        }
    }
}
