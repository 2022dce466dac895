using Microsoft.Extensions.Configuration;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Configuration;

namespace MiM.Bundles.Cli.Commands.Packaging;

/// <summary>
/// What `mim bundle list` and `rollback` know offline about a bundles folder: the installed versions, the site's
/// runtime decisions (<see cref="SiteControlFile"/>), the configured pins of an appsettings.json when one is given, and
/// from these the version of each id a host would serve if every version warmed up.
/// </summary>
internal sealed record SiteBundles(string Directory, IReadOnlyList<InstalledVersion> Installed, SiteControl Control, BundlePins Configured)
{
    public BundlePins Pins => Control.EffectivePins(Configured);

    public IReadOnlyDictionary<string, InstalledVersion> Candidates => InstalledVersion.ServingCandidates(Installed, Pins, Control);

    public SiteControlFile ControlFile => new(Directory);

    /// <summary>Reads the folder (default: $MIM_BUNDLE_DIR or ~/.mim/bundles) and, when given, the pins of an appsettings.json.</summary>
    public static SiteBundles Read(DirectoryInfo? bundles, FileInfo? settings)
    {
        var directory = bundles?.FullName ?? MimPaths.Resolve(Environment.GetEnvironmentVariable).BundleDirectory;
        if (!System.IO.Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"no bundles folder at {directory}");
        }

        var configured = BundlePins.None;
        if (settings is not null)
        {
            // Read as `mim serve` reads it (JSON with comments); a file without the "Mim" level is read as that section.
            var root = new ConfigurationBuilder().AddJsonFile(settings.FullName, optional: false, reloadOnChange: false).Build();
            var section = root.GetSection("Mim");
            var mim = section.Exists() ? section : (IConfiguration)root;
            configured = BundleHostSettings.Read(mim, directory).Catalog.Pins;
        }

        return new SiteBundles(directory, InstalledVersion.Scan(directory), new SiteControlFile(directory).Read(), configured);
    }
}
