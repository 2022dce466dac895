using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Tests.Subscriptions;

namespace MiM.Bundles.Host.Tests.Catalog;

/// <summary>Runtime pins, rollback, unload and load through <see cref="BundleControl"/> on a real catalog.</summary>
public sealed class BundleControlTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly RecordingAuditLog _audit = new();

    public void Dispose() => _temp.Dispose();

    private string Dir => _temp.Sub("bundles");

    private BundleCatalog Catalog(BundlePins? configured = null) =>
        new(new BundleCatalogOptions { Directory = Dir, Pins = configured ?? BundlePins.None }, MiM.Bundles.Host.Loading.PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance, audit: _audit);

    private BundleControl Control(BundleCatalog catalog) => new(catalog, _audit, TimeProvider.System, NullLogger<BundleControl>.Instance);

    private void Install(params string[] versions)
    {
        foreach (var version in versions)
        {
            // The installed layout, <bundles>/<id>/<version>/.
            new TestBundle(version: version).Write(Path.Combine(Dir, "bright-seg", version));
        }
    }

    [Fact]
    public async Task Rollback_serves_the_newest_older_version_after_its_warm_up_and_drains_the_newer_one()
    {
        Install("1.0.0", "1.1.0", "1.2.0");
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);
        var newest = catalog.Serving("bright-seg")!;
        Assert.Equal("1.2.0", newest.Version!.ToString());

        var serving = await Control(catalog).RollbackAsync("bright-seg", null, "api:admin", CancellationToken.None);

        Assert.Equal("1.1.0", serving);
        Assert.Equal("1.1.0", catalog.Serving("bright-seg")!.Version!.ToString());
        await catalog.RetiredAsync();
        Assert.Equal(BundleState.Unloaded, newest.State);
        var audited = Assert.Single(_audit.Of("bundle-rollback"));
        Assert.Contains("rollback from 1.2.0 to 1.1.0 requested by api:admin", audited.Detail, StringComparison.Ordinal);
        Assert.Contains(_audit.Of("bundle-pin-applied"), e => e.Detail!.Contains("pinned to 1.1.0 by api:admin", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Rollback_to_a_named_version_pins_it_and_the_pin_survives_a_restart_until_removed()
    {
        Install("1.0.0", "1.1.0", "1.2.0");
        await using (var catalog = Catalog())
        {
            await catalog.ScanAsync(CancellationToken.None);
            Assert.Equal("1.0.0", await Control(catalog).RollbackAsync("bright-seg", "1.0.0", "cli:test", CancellationToken.None));
        }

        await using var restarted = Catalog();
        await restarted.ScanAsync(CancellationToken.None);
        Assert.Equal("1.0.0", restarted.Serving("bright-seg")!.Version!.ToString());
        Assert.Equal("1.0.0", restarted.Pins.PinOf("bright-seg"));

        Assert.Equal("1.2.0", await Control(restarted).PinAsync("bright-seg", null, "api:admin", CancellationToken.None));
        Assert.Empty(new SiteControlFile(Dir).Read().Pins);
        Assert.Null(restarted.Serving("bright-seg")!.FailureReason);
    }

    [Fact]
    public async Task A_runtime_pin_overrides_the_configured_pin_of_its_id_and_removing_it_restores_the_configured_one()
    {
        Install("1.0.0", "1.1.0", "2.0.0");
        await using var catalog = Catalog(new BundlePins(new Dictionary<string, string> { ["bright-seg"] = "^1.0" }));
        await catalog.ScanAsync(CancellationToken.None);
        Assert.Equal("1.1.0", catalog.Serving("bright-seg")!.Version!.ToString());

        var control = Control(catalog);
        Assert.Equal("2.0.0", await control.PinAsync("bright-seg", "2.0.0", "api:admin", CancellationToken.None));
        Assert.Equal("1.1.0", await control.PinAsync("bright-seg", null, "api:admin", CancellationToken.None));
        await Assert.ThrowsAsync<FormatException>(() => control.PinAsync("bright-seg", "not a range", "api:admin", CancellationToken.None));
    }

    [Fact]
    public async Task A_pin_written_to_the_control_file_by_another_process_is_applied_on_the_next_scan()
    {
        Install("1.0.0", "1.1.0");
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);

        new SiteControlFile(Dir).Update(c => c with { Pins = new Dictionary<string, OperatorPin> { ["bright-seg"] = new("1.0.0", "cli:someone", DateTimeOffset.UtcNow, "rollback from 1.1.0") } });
        await catalog.ScanAsync(CancellationToken.None);

        Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
        Assert.Contains(_audit.Of("bundle-pin-applied"), e => e.Detail == "pinned to 1.0.0 by cli:someone: rollback from 1.1.0");
    }

    [Fact]
    public async Task A_rollback_whose_target_fails_to_warm_up_leaves_the_serving_version_and_the_previous_pin()
    {
        Install("1.1.0");
        var broken = new TestBundle(kind: "fault-warmup", version: "1.0.0");
        broken.Write(Path.Combine(Dir, "bright-seg", "1.0.0"));
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Control(catalog).RollbackAsync("bright-seg", null, "api:admin", CancellationToken.None));

        Assert.Contains("1.1.0 serves", error.Message, StringComparison.Ordinal);
        Assert.Equal("1.1.0", catalog.Serving("bright-seg")!.Version!.ToString());
        Assert.Empty(new SiteControlFile(Dir).Read().Pins);
        Assert.Single(_audit.Of("bundle-rollback-failed"));
    }

    [Fact]
    public async Task Rollback_with_nothing_older_installed_is_refused_and_changes_nothing()
    {
        Install("1.0.0");
        await using var catalog = Catalog();
        await catalog.ScanAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Control(catalog).RollbackAsync("bright-seg", null, "api:admin", CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Control(catalog).RollbackAsync("bright-seg", "0.9.0", "api:admin", CancellationToken.None));
        Assert.False(File.Exists(new SiteControlFile(Dir).Path));
        Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
    }

    [Fact]
    public async Task An_unloaded_bundle_stops_serving_stays_unloaded_across_a_restart_and_serves_again_when_loaded()
    {
        Install("1.0.0");
        await using (var catalog = Catalog())
        {
            await catalog.ScanAsync(CancellationToken.None);
            var serving = catalog.Serving("bright-seg")!;
            await Control(catalog).UnloadAsync("bright-seg", "api:admin", CancellationToken.None);
            Assert.Null(catalog.Serving("bright-seg"));
            Assert.Equal(BundleState.Unloaded, serving.State);
        }

        await using var restarted = Catalog();
        await restarted.ScanAsync(CancellationToken.None);
        Assert.Null(restarted.Serving("bright-seg"));
        Assert.StartsWith("held back: bright-seg was unloaded by api:admin", Assert.Single(restarted.Versions).FailureReason, StringComparison.Ordinal);

        await Control(restarted).LoadAsync("bright-seg", "api:admin", CancellationToken.None);
        Assert.Equal("1.0.0", restarted.Serving("bright-seg")!.Version!.ToString());
        Assert.Equal(["bundle-unload", "bundle-load"], _audit.Events.Where(e => e.Action is "bundle-unload" or "bundle-load").Select(e => e.Action));
    }
}
