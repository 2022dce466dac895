namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>Exponential backoff with jitter: base × 2^(failures−1), capped, shortened by a random part.</summary>
internal static class Backoff
{
    /// <summary>The wait after <paramref name="failedAttempts"/> failures; <paramref name="random01"/> is uniform in [0, 1).</summary>
    public static TimeSpan Delay(OutboxOptions options, int failedAttempts, double random01)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, failedAttempts - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (1 - (Math.Clamp(options.JitterFraction, 0, 1) * random01)));
    }
}
