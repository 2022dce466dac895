using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Tests.Catalog;

namespace MiM.Bundles.Host.Tests.Cli.Packaging;

/// <summary>`mim bundle shadow` and `mim bundle promote` through the real `mim` on a bundles folder.</summary>
public sealed class ShadowCommandTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static MimProcess.Result Mim(params string[] args) => MimProcess.Run(Timeout, args);

    private static void Ok(MimProcess.Result result) => Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);

    private string Install()
    {
        var bundles = _temp.Sub("bundles");
        new TestBundle(version: "1.0.0").Write(Path.Combine(bundles, "bright-seg", "1.0.0"));
        new TestBundle(version: "1.1.0").Write(Path.Combine(bundles, "bright-seg", "1.1.0"));
        return bundles;
    }

    [Fact]
    public void Shadow_names_the_candidate_list_shows_it_and_promote_pins_it_and_clears_the_shadow()
    {
        var bundles = Install();

        var shadow = Mim("bundle", "shadow", "bright-seg", "1.1.0", "--bundles", bundles);
        Ok(shadow);
        Assert.Contains("bright-seg 1.1.0 runs in shadow beside 1.0.0", shadow.StdOut, StringComparison.Ordinal);
        var list = Mim("bundle", "list", "--bundles", bundles);
        Ok(list);
        Assert.Contains(list.StdOut.Split('\n'), l => l.Contains("1.1.0", StringComparison.Ordinal) && l.Contains("shadow candidate", StringComparison.Ordinal));
        Assert.Contains(list.StdOut.Split('\n'), l => l.Contains("1.0.0", StringComparison.Ordinal) && l.Contains("serving candidate", StringComparison.Ordinal));

        var promote = Mim("bundle", "promote", "bright-seg", "1.1.0", "--bundles", bundles);
        Ok(promote);
        Assert.Contains("promoted bright-seg to 1.1.0 (was 1.0.0)", promote.StdOut, StringComparison.Ordinal);
        var control = new SiteControlFile(bundles).Read();
        Assert.Empty(control.Shadows);
        Assert.Equal("1.1.0", control.Pins["bright-seg"].Range);
        Assert.Equal("promoted from 1.0.0", control.Pins["bright-seg"].Reason);
    }

    [Fact]
    public void A_version_not_installed_or_both_a_version_and_clear_exit_2_naming_the_problem_and_change_nothing()
    {
        var bundles = Install();

        var missing = Mim("bundle", "shadow", "bright-seg", "9.9.9", "--bundles", bundles);
        var both = Mim("bundle", "shadow", "bright-seg", "1.1.0", "--clear", "--bundles", bundles);
        var promote = Mim("bundle", "promote", "bright-seg", "^1.1", "--bundles", bundles);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("bright-seg 9.9.9 is not installed (installed: 1.0.0, 1.1.0)", missing.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give either VERSION", both.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, promote.ExitCode);
        Assert.Contains("\"^1.1\" is not a semantic version", promote.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(new SiteControlFile(bundles).Path));
    }
}
