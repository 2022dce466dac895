namespace MiM.Bundles.Host.Routing;

/// <summary>The most recent series no bundle took (in memory, bounded); each one is also logged with its reasons.</summary>
/// <param name="capacity">How many are kept.</param>
public sealed class UnroutedSeriesLog(int capacity = 500) : IUnroutedSeriesLog
{
    private readonly LinkedList<UnroutedSeries> _entries = new();

    /// <summary>Records one series.</summary>
    public void Add(UnroutedSeries series)
    {
        lock (_entries)
        {
            _entries.AddFirst(series);
            while (_entries.Count > capacity)
            {
                _entries.RemoveLast();
            }
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<UnroutedSeries> Recent(int max)
    {
        lock (_entries)
        {
            return [.. _entries.Take(max)];
        }
    }
}
