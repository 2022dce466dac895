using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using MiM.Bundles.Host.Subscriptions;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Keys;
using MiM.Bundles.Packaging.Repository;
using MiM.Bundles.Packaging.Trust;

namespace MiM.Bundles.Host.Tests.Subscriptions;

/// <summary>
/// A publisher with a real repository folder served over HTTP by <see cref="StaticRepositoryServer"/>, and a site: a
/// bundle directory, a trust store holding the publisher's .pub, an in-memory audit log and a catalog that verifies
/// signed bundles on load. Bundles are the test plugin's (tests/plugins/ThresholdBundle), packed and signed for real.
/// </summary>
internal sealed class SubscribedSite : IAsyncDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<IAsyncDisposable> _owned = [];

    public SubscribedSite(string keyId = "acme")
    {
        Key = PublisherSigningKey.Generate(keyId, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        Directory.CreateDirectory(Repo);
        Directory.CreateDirectory(Bundles);
        Key.Save(_temp.Sub("keys"));
        TrustPath = Path.Combine(_temp.Sub("keys"), keyId + ".pub");
        Server = StaticRepositoryServer.Start(Repo, 0);
    }

    public PublisherSigningKey Key { get; }

    public string Repo => _temp.Sub("repo");

    public string Bundles => _temp.Sub("bundles");

    public string TrustPath { get; }

    public StaticRepositoryServer Server { get; }

    public RecordingAuditLog Audit { get; } = new();

    public HttpClient Http { get; } = new();

    public string Temp(string name) => _temp.Sub(name);

    /// <summary>Packs and signs <paramref name="bundle"/> and publishes it into the repository; returns the archive's path in the repository.</summary>
    public string Publish(TestBundle bundle, ReleaseChannel channel = ReleaseChannel.Stable)
    {
        var id = bundle.Metadata["id"]!.GetValue<string>();
        var version = bundle.Metadata["version"]!.GetValue<string>();
        var source = bundle.Write(_temp.Sub($"src-{id}-{version}"));
        var archive = _temp.Sub($"{id}-{version}.mimb");
        BundlePacker.Pack(source, archive, Key, DateTimeOffset.UtcNow);
        using var trust = TrustStore.Load(TrustPath);
        new RepositoryPublisher(Repo, Key, trust).Publish(archive, channel);
        return Path.Combine(Repo, $"{id}-{version}.mimb");
    }

    /// <summary>A catalog over the site's bundle directory that verifies installed bundles against the trust store.</summary>
    public async Task<BundleCatalog> CatalogAsync()
    {
        var catalog = new BundleCatalog(
            new BundleCatalogOptions { Directory = Bundles, Trust = TrustStore.Load(TrustPath) },
            PluginLocator.LibOnly,
            NullLogger<BundleCatalog>.Instance,
            audit: Audit);
        _owned.Add(catalog);
        await catalog.ScanAsync(CancellationToken.None);
        return catalog;
    }

    public RepositoryFollower Follower(BundleCatalog catalog, params BundlePolicy[] policies) =>
        new(new RepositorySubscription(Server.Address.AbsoluteUri, TrustPath, policies), catalog, Audit, NullLogger<RepositoryFollower>.Instance, Http);

    public BundleControl Control(BundleCatalog catalog) => new(catalog, Audit, TimeProvider.System, NullLogger<BundleControl>.Instance);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await Server.DisposeAsync();
        Http.Dispose();
        Key.Dispose();
        _temp.Dispose();
    }
}

/// <summary>Jobs sent to whatever version of a bundle serves, without pause, while a test changes versions.</summary>
internal sealed class JobStream : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _done;
    private bool _stopped;
    private int _failed;
    private readonly List<string> _failures = [];

    public JobStream(BundleCatalog catalog, string id)
    {
        _loop = Task.Run(async () =>
        {
            var volume = new Volume(new VolumeGeometry(new GridSize(2, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), [0f, 150f]);
            while (!_stop.IsCancellationRequested)
            {
                using var lease = catalog.Acquire(id);
                try
                {
                    if (lease is null)
                    {
                        throw new InvalidOperationException($"no version of {id} served");
                    }

                    var labels = await ((ISegmentationBundle)lease.Bundle).SegmentAsync(new BundleInput(volume), CancellationToken.None);
                    if (labels.Voxels[1] != 1)
                    {
                        throw new InvalidOperationException("wrong label");
                    }

                    Interlocked.Increment(ref _done);
                }
                catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or NullReferenceException)
                {
                    Interlocked.Increment(ref _failed);
                    lock (_failures)
                    {
                        _failures.Add(e.Message);
                    }
                }

                await Task.Yield();
            }
        });
    }

    public int Done => Volatile.Read(ref _done);

    public int Failed => Volatile.Read(ref _failed);

    public string Failures
    {
        get
        {
            lock (_failures)
            {
                return string.Join("; ", _failures.Distinct());
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
