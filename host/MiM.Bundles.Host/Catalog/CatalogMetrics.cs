using System.Diagnostics.Metrics;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Catalog;

/// <summary>
/// The catalog's instruments on the <c>MiM.Bundles.Host.Catalog</c> meter, observed when scraped: bundle versions by
/// state, and the memory of each device whose size is known (a GPU; the CPU's is not counted).
/// </summary>
public sealed class CatalogMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "MiM.Bundles.Host.Catalog";

    private readonly Meter _meter = new(MeterName);

    /// <summary>Starts observing <paramref name="listing"/> and, when given, <paramref name="devices"/>.</summary>
    public CatalogMetrics(IBundleListing listing, DeviceScheduler? devices = null)
    {
        ArgumentNullException.ThrowIfNull(listing);
        _meter.CreateObservableGauge("mim.catalog.bundles", () => ByState(listing), "{version}", "Bundle versions the catalog knows, by state");
        if (devices is not null)
        {
            var known = devices.Devices.Where(d => d.MemoryBytes != long.MaxValue).ToList();
            _meter.CreateObservableGauge("mim.device.memory.capacity", () => known.Select(d => new Measurement<long>(d.MemoryBytes, Tag(d))), "By", "Device memory available to jobs");
            _meter.CreateObservableGauge("mim.device.memory.free", () => known.Select(d => new Measurement<long>(devices.FreeBytes(d.Name), Tag(d))), "By", "Device memory not reserved by running jobs");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> ByState(IBundleListing listing)
    {
        var counts = listing.List().GroupBy(v => v.State).ToDictionary(g => g.Key, g => g.Count());

        // Every state, zeros included: a dashboard's "serving" line must drop to 0, not vanish.
        return Enum.GetValues<BundleState>().Select(s => new Measurement<int>(counts.GetValueOrDefault(s), new KeyValuePair<string, object?>("state", s.ToString().ToLowerInvariant())));
    }

    private static KeyValuePair<string, object?> Tag(ComputeDevice device) => new("device", device.Name);
}
