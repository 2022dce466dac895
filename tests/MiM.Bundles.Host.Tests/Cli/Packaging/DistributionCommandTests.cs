using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Tests.Catalog;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Host.Tests.Cli.Packaging;

/// <summary>
/// The distribution verbs through the real `mim` executable: keygen, pack, sign, verify, install, repo publish, serve
/// and sync, then list and rollback on the bundles folder they filled, and a catalog that honours the rollback.
/// </summary>
public sealed class DistributionCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MimProcess.Result Mim(params string[] args) => MimProcess.Run(Timeout, args);

    private static void Ok(MimProcess.Result result) => Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);

    [Fact]
    public async Task A_bundle_goes_from_keygen_through_a_served_repository_to_an_installed_list_and_a_rollback_a_catalog_honours()
    {
        var keys = _temp.Sub("keys");
        var bundles = _temp.Sub("bundles");
        var repo = _temp.Sub("repo");
        Ok(Mim("bundle", "keygen", "--id", "acme", "--out", keys));
        var key = Path.Combine(keys, "acme.key");
        var pub = Path.Combine(keys, "acme.pub");
        Assert.True(File.Exists(key) && File.Exists(pub));

        // pack unsigned → verify refuses (3) → sign → verify passes → install.
        var first = _temp.Sub("bright-1.0.0.mimb");
        Ok(Mim("bundle", "pack", new TestBundle(version: "1.0.0").Write(_temp.Sub("src-1.0.0")), "--out", first));
        var unsigned = Mim("bundle", "verify", first, "--trust", pub);
        Assert.Equal(3, unsigned.ExitCode);
        Assert.Contains("NoSignature", unsigned.StdErr, StringComparison.Ordinal);
        Ok(Mim("bundle", "sign", first, "--key", key));
        Ok(Mim("bundle", "verify", first, "--trust", pub));
        Ok(Mim("bundle", "install", first, "--bundles", bundles, "--trust", pub));
        Assert.True(Directory.Exists(Path.Combine(bundles, "bright-seg", "1.0.0", ".mimb")));

        // pack --key → publish → serve → sync.
        var second = _temp.Sub("bright-1.1.0.mimb");
        Ok(Mim("bundle", "pack", new TestBundle(version: "1.1.0").Write(_temp.Sub("src-1.1.0")), "--out", second, "--key", key));
        Ok(Mim("repo", "publish", second, "--repo", repo, "--key", key));
        Assert.True(File.Exists(Path.Combine(repo, "index.json")));
        var port = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        MimProcess.Result? sync = null;
        var serve = MimProcess.RunAndInterrupt(Timeout, output =>
        {
            if (!output.Contains("serving", StringComparison.Ordinal))
            {
                return false;
            }

            sync = Mim("repo", "sync", $"http://127.0.0.1:{port}/", "--bundles", bundles, "--trust", pub, "--bundle", "bright-seg@^1.0");
            return true;
        }, "repo", "serve", repo, "--port", port);
        Assert.NotNull(sync);
        Ok(sync);
        Assert.Contains("bright-seg 1.1.0: installed", sync.StdOut, StringComparison.Ordinal);
        Assert.Contains("GET /index.json 200", serve.StdOut, StringComparison.Ordinal);

        // list: both versions, the newest is the serving candidate, both signed by acme.
        var listed = List(bundles);
        Assert.Equal(["1.1.0", "1.0.0"], listed.Select(v => v.GetProperty("version").GetString()));
        Assert.True(listed[0].GetProperty("serving_candidate").GetBoolean());
        Assert.All(listed, v => Assert.Equal("acme", v.GetProperty("signer").GetString()));

        // rollback: a durable pin to 1.0.0 that list shows and a catalog (a host starting, or scanning) serves.
        var rollback = Mim("bundle", "rollback", "bright-seg", "--bundles", bundles);
        Ok(rollback);
        Assert.Contains("pinned bright-seg to 1.0.0 (was 1.1.0)", rollback.StdOut, StringComparison.Ordinal);
        listed = List(bundles);
        Assert.True(listed[1].GetProperty("serving_candidate").GetBoolean());
        Assert.Equal("1.0.0", listed[1].GetProperty("pin").GetString());
        Assert.False(listed[0].GetProperty("allowed_by_pin").GetBoolean());
        await using (var catalog = new BundleCatalog(new BundleCatalogOptions { Directory = bundles }, MiM.Bundles.Host.Loading.PluginLocator.LibOnly, NullLogger<BundleCatalog>.Instance))
        {
            await catalog.ScanAsync(CancellationToken.None);
            Assert.Equal("1.0.0", catalog.Serving("bright-seg")!.Version!.ToString());
        }

        // Nothing older than 1.0.0, and no 9.9.9: refused as bad input, the pin unchanged.
        Assert.Equal(2, Mim("bundle", "rollback", "bright-seg", "--bundles", bundles).ExitCode);
        Assert.Equal(2, Mim("bundle", "rollback", "bright-seg", "--to", "9.9.9", "--bundles", bundles).ExitCode);
        Assert.Equal("1.0.0", new SiteControlFile(bundles).Read().Pins["bright-seg"].Range);

        // A version refused after a failed warm-up shows as refused and is not a serving candidate.
        new SiteControlFile(bundles).Update(c => c with { Pins = new Dictionary<string, OperatorPin>(), Refused = [new RefusedVersion("bright-seg", "1.1.0", "warm-up failed", DateTimeOffset.UtcNow)] });
        var text = Mim("bundle", "list", "--bundles", bundles);
        Ok(text);
        Assert.Contains("refused: warm-up failed", text.StdOut, StringComparison.Ordinal);
        Assert.True(List(bundles)[1].GetProperty("serving_candidate").GetBoolean());
    }

    private static List<JsonElement> List(string bundles)
    {
        var result = Mim("bundle", "list", "--bundles", bundles, "--json");
        Ok(result);
        using var json = JsonDocument.Parse(result.StdOut);
        return [.. json.RootElement.GetProperty("bundles").EnumerateArray().Select(e => e.Clone())];
    }
}
