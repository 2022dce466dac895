namespace MiM.Bundles.Model.Data;

/// <summary>
/// Least-recently-used cache of prepared volumes under a byte budget, keyed by file index. Decoding a NIfTI every
/// step would dominate the loader's time. Not thread-safe: only the loader's producer touches it.
/// </summary>
internal sealed class PreparedVolumeCache
{
    private readonly long _budgetBytes;
    private readonly Dictionary<int, LinkedListNode<(int Key, PreparedVolume Volume)>> _entries = [];
    private readonly LinkedList<(int Key, PreparedVolume Volume)> _recency = new();

    /// <summary>A cache holding at most <paramref name="budgetBytes"/> of voxels (0 disables caching).</summary>
    public PreparedVolumeCache(long budgetBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(budgetBytes);
        _budgetBytes = budgetBytes;
    }

    /// <summary>Bytes of voxels held now.</summary>
    public long UsedBytes { get; private set; }

    /// <summary>The number of volumes held now.</summary>
    public int Count => _entries.Count;

    /// <summary>The cached volume of <paramref name="key"/>, marking it most recently used.</summary>
    public bool TryGet(int key, out PreparedVolume? volume)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
            volume = node.Value.Volume;
            return true;
        }

        volume = null;
        return false;
    }

    /// <summary>Adds <paramref name="volume"/>, evicting least recently used volumes until it fits; a volume larger than the whole budget is not kept.</summary>
    public void Add(int key, PreparedVolume volume)
    {
        if (volume.ByteCount > _budgetBytes || _entries.ContainsKey(key))
        {
            return;
        }

        while (UsedBytes + volume.ByteCount > _budgetBytes && _recency.Last is { } oldest)
        {
            _recency.RemoveLast();
            _entries.Remove(oldest.Value.Key);
            UsedBytes -= oldest.Value.Volume.ByteCount;
        }

        _entries[key] = _recency.AddFirst((key, volume));
        UsedBytes += volume.ByteCount;
    }
}
