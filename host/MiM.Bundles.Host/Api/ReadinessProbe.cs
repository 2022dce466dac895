using System.Globalization;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Serving;

namespace MiM.Bundles.Host.Api;

/// <summary>One readiness check and its outcome.</summary>
/// <param name="Name">listener, disk or bundles.</param>
/// <param name="Passed">True when the check passed.</param>
/// <param name="Detail">What was found, in words.</param>
public sealed record ReadinessCheck(string Name, bool Passed, string Detail);

/// <summary>The readiness answer: ready only when every check passed.</summary>
/// <param name="Ready">True when every check passed.</param>
/// <param name="Checks">Each check.</param>
public sealed record ReadinessReport(bool Ready, IReadOnlyList<ReadinessCheck> Checks);

/// <summary>
/// Whether the host can take a study now: the storage SCP listens, the data folder's volume has more free space than
/// the threshold (below it the inbox refuses instances), and at least one bundle version serves.
/// </summary>
/// <param name="listener">The storage SCP.</param>
/// <param name="bundles">The catalog.</param>
/// <param name="settings">The data folder and the free-space threshold.</param>
public sealed class ReadinessProbe(IDicomListenerState listener, IBundleListing bundles, ApiSettings settings)
{
    /// <summary>Runs every check.</summary>
    public ReadinessReport Check()
    {
        ReadinessCheck[] checks = [Listener(), Disk(), Bundles()];
        return new ReadinessReport(checks.All(c => c.Passed), checks);
    }

    private ReadinessCheck Listener() => listener.IsListening
        ? new ReadinessCheck("listener", true, "the storage SCP accepts associations")
        : new ReadinessCheck("listener", false, "the storage SCP is not listening");

    private ReadinessCheck Disk()
    {
        var folder = Path.GetFullPath(settings.DataDirectory);
        long free;
        try
        {
            free = new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return new ReadinessCheck("disk", false, $"the free space of the data folder {folder} cannot be read: {e.Message}");
        }

        var text = string.Create(CultureInfo.InvariantCulture, $"{free} bytes free on the data folder {folder}, threshold {settings.MinimumFreeDiskBytes}");
        return new ReadinessCheck("disk", free > settings.MinimumFreeDiskBytes, text);
    }

    private ReadinessCheck Bundles()
    {
        var serving = bundles.List().Where(b => b.State == BundleState.Serving).Select(b => $"{b.Id} {b.Version}").ToList();
        return serving.Count > 0
            ? new ReadinessCheck("bundles", true, $"serving: {string.Join(", ", serving)}")
            : new ReadinessCheck("bundles", false, "no bundle version serves");
    }
}
