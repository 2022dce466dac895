namespace MiM.Bundles.Host.Catalog;

/// <summary>What the REST API shows of one bundle version.</summary>
/// <param name="Id">The bundle id; null when its metadata could not be read.</param>
/// <param name="Version">The version; null when its metadata could not be read.</param>
/// <param name="State">Where it is in its life.</param>
/// <param name="FailureReason">Why it failed or is held back; null otherwise.</param>
/// <param name="Pin">The pin of its bundle id (a version or range); null when none.</param>
/// <param name="Device">The device it was loaded on.</param>
/// <param name="InFlight">Jobs that hold it now.</param>
/// <param name="Folder">Its folder in the bundle directory.</param>
public sealed record BundleView(string? Id, string? Version, BundleState State, string? FailureReason, string? Pin, string? Device, int InFlight, string Folder)
{
    /// <summary>The view of <paramref name="version"/> with the pin of its id.</summary>
    public static BundleView Of(BundleVersion version, string? pin)
    {
        ArgumentNullException.ThrowIfNull(version);
        return new BundleView(version.Id, version.Version?.ToString(), version.State, version.FailureReason, pin, version.Device, version.InFlight, version.Folder);
    }
}
