using MiM.Bundles.Packaging.Archives;
using MiM.Bundles.Packaging.Installation;
using MiM.Bundles.Packaging.Refusals;
using MiM.Bundles.Packaging.Tests.Fixtures;
using Semver;

namespace MiM.Bundles.Packaging.Tests.Installation;

public sealed class BundleInstallerTests : IDisposable
{
    private readonly TempDir temp = new();
    private readonly Publisher publisher = new();

    public BundleInstallerTests()
    {
        Installer = new BundleInstaller(temp["bundles"], publisher.Trust(), clock: publisher.Clock);
    }

    private BundleInstaller Installer { get; }

    public void Dispose()
    {
        temp.Dispose();
        publisher.Dispose();
    }

    private string Archive(string version = "1.0.0")
    {
        var source = SampleBundle.Write(temp[$"src-{version}"], version: version);
        var path = temp[$"b-{version}.mimb"];
        BundlePacker.Pack(source, path, publisher.Key, publisher.Now);
        return path;
    }

    /// <summary>Everything under the bundles folder except the (empty) staging folder.</summary>
    private string[] Installed() =>
        Directory.Exists(temp["bundles"])
            ? Directory.GetFileSystemEntries(temp["bundles"], "*", SearchOption.AllDirectories)
                .Select(p => Path.GetRelativePath(temp["bundles"], p))
                .Where(p => p != BundleInstaller.StagingFolder)
                .Order(StringComparer.Ordinal).ToArray()
            : [];

    [Fact]
    public void Install_puts_the_bundle_at_id_slash_version_with_its_signed_manifest()
    {
        var installed = Installer.Install(Archive());

        Assert.Equal(temp["bundles/abdomen-ct-seg/1.0.0"], installed.Directory);
        Assert.True(File.Exists(temp["bundles/abdomen-ct-seg/1.0.0/configs/metadata.json"]));
        Assert.True(File.Exists(temp["bundles/abdomen-ct-seg/1.0.0/.mimb/manifest.json"]));
        Assert.True(File.Exists(temp["bundles/abdomen-ct-seg/1.0.0/.mimb/manifest.sig"]));
        Assert.Equal(File.ReadAllBytes(temp["src-1.0.0/models/head.safetensors"]), File.ReadAllBytes(temp["bundles/abdomen-ct-seg/1.0.0/models/head.safetensors"]));
        Assert.Empty(Directory.GetFileSystemEntries(temp["bundles/.staging"]));
    }

    [Fact]
    public void An_installed_bundle_verifies_on_load()
    {
        var installed = Installer.Install(Archive());

        var verified = Installer.VerifyInstalled(installed.Directory);

        Assert.Equal("1.0.0", verified.Version);
        Assert.Equal("acme", verified.Archive.Publisher.Key.KeyId);
    }

    [Fact]
    public void A_file_changed_after_install_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        var weights = Path.Combine(installed.Directory, "models", "head.safetensors");
        var bytes = File.ReadAllBytes(weights);
        bytes[100] ^= 0x40;
        File.WriteAllBytes(weights, bytes);

        Assert.Equal(RefusalReason.ChangedFile, Assert.Throws<BundleRefusedException>(() => Installer.VerifyInstalled(installed.Directory)).Reason);
    }

    [Fact]
    public void A_file_added_after_install_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        Directory.CreateDirectory(Path.Combine(installed.Directory, "lib"));
        File.WriteAllBytes(Path.Combine(installed.Directory, "lib", "evil.dll"), [1]);

        Assert.Equal(RefusalReason.ExtraFile, Assert.Throws<BundleRefusedException>(() => Installer.VerifyInstalled(installed.Directory)).Reason);
    }

    [Fact]
    public void A_file_removed_after_install_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        File.Delete(Path.Combine(installed.Directory, "LICENSE"));

        Assert.Equal(RefusalReason.MissingFile, Assert.Throws<BundleRefusedException>(() => Installer.VerifyInstalled(installed.Directory)).Reason);
    }

    [Fact]
    public void A_file_replaced_by_a_link_after_install_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        var license = Path.Combine(installed.Directory, "LICENSE");
        File.Delete(license);
        File.CreateSymbolicLink(license, "/etc/hostname");

        Assert.Equal(RefusalReason.LinkOrDevice, Assert.Throws<BundleRefusedException>(() => Installer.VerifyInstalled(installed.Directory)).Reason);
    }

    [Fact]
    public async Task An_empty_file_replaced_by_a_fifo_after_install_is_caught_on_load_without_blocking()
    {
        File.WriteAllBytes(Path.Combine(SampleBundle.Write(temp["src-fifo"]), "docs", "EMPTY"), []);
        BundlePacker.Pack(temp["src-fifo"], temp["fifo.mimb"], publisher.Key, publisher.Now);
        var installed = Installer.Install(temp["fifo.mimb"]);
        var empty = Path.Combine(installed.Directory, "docs", "EMPTY");
        File.Delete(empty);
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", empty))
        {
            mkfifo.WaitForExit();
        }

        var check = Task.Run(() => Installer.VerifyInstalled(installed.Directory));

        var refusal = await Assert.ThrowsAsync<BundleRefusedException>(() => check.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(RefusalReason.LinkOrDevice, refusal.Reason);
    }

    [Fact]
    public void A_key_revoked_after_install_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        var revokedSite = new BundleInstaller(temp["bundles"], publisher.Trust(["*"], "acme"), clock: publisher.Clock);

        Assert.Equal(RefusalReason.RevokedKey, Assert.Throws<BundleRefusedException>(() => revokedSite.VerifyInstalled(installed.Directory)).Reason);
    }

    [Fact]
    public void A_signed_bundle_moved_to_another_version_folder_is_caught_on_load()
    {
        var installed = Installer.Install(Archive());
        var moved = temp["bundles/abdomen-ct-seg/2.0.0"];
        Directory.Move(installed.Directory, moved);

        Assert.Equal(RefusalReason.MetadataMismatch, Assert.Throws<BundleRefusedException>(() => Installer.VerifyInstalled(moved)).Reason);
    }

    [Fact]
    public void A_refused_archive_leaves_nothing_installed()
    {
        var archive = HostileArchive.Honest();
        archive.AddEntry("abdomen-ct-seg/lib/evil.dll", [1, 2, 3]);
        var path = archive.Write(temp["evil.mimb"], publisher.Key, publisher.Now);

        Assert.Throws<BundleRefusedException>(() => Installer.Install(path));

        Assert.Empty(Installed());
    }

    [Fact]
    public void A_file_that_fails_its_hash_half_way_leaves_nothing_installed()
    {
        // The first files extract fine, the last one fails: the staged copy must be gone.
        var tampered = new HostileArchive();
        tampered.AddListed("configs/metadata.json", tampered.Metadata);
        tampered.AddListed("models/a.safetensors", new byte[10_000]);
        tampered.ManifestFiles.Add(HostileArchive.Describe("models/z.safetensors", new byte[100]));
        tampered.AddEntry("abdomen-ct-seg/models/z.safetensors", Enumerable.Repeat((byte)1, 100).ToArray());
        var path = tampered.Write(temp["t.mimb"], publisher.Key, publisher.Now);

        Assert.Equal(RefusalReason.ChangedFile, Assert.Throws<BundleRefusedException>(() => Installer.Install(path)).Reason);

        Assert.Empty(Installed());
        Assert.Empty(Directory.GetFileSystemEntries(temp["bundles/.staging"]));
    }

    [Fact]
    public void Installing_the_same_version_twice_is_refused_and_keeps_the_first()
    {
        var path = Archive();
        Installer.Install(path);

        Assert.Equal(RefusalReason.AlreadyInstalled, Assert.Throws<BundleRefusedException>(() => Installer.Install(path)).Reason);
        Installer.VerifyInstalled(temp["bundles/abdomen-ct-seg/1.0.0"]);
    }

    [Fact]
    public async Task Two_installers_racing_on_one_version_install_it_once()
    {
        var path = Archive();
        var second = new BundleInstaller(temp["bundles"], publisher.Trust(), clock: publisher.Clock);

        var results = await Task.WhenAll(
            Task.Run(() => Record(() => Installer.Install(path))),
            Task.Run(() => Record(() => second.Install(path))));

        Assert.Single(results, r => r is null);
        Assert.All(results.OfType<RefusalReason>(), r => Assert.Equal(RefusalReason.AlreadyInstalled, r));
        Installer.VerifyInstalled(temp["bundles/abdomen-ct-seg/1.0.0"]);
        Assert.Empty(Directory.GetFileSystemEntries(temp["bundles/.staging"]));
    }

    private static RefusalReason? Record(Action install)
    {
        try
        {
            install();
            return null;
        }
        catch (BundleRefusedException e)
        {
            return e.Reason;
        }
    }

    [Fact]
    public void A_newer_version_installs_beside_the_older()
    {
        Installer.Install(Archive("1.0.0"));
        Installer.Install(Archive("1.1.0"));

        Assert.Equal(["1.1.0", "1.0.0"], Installer.InstalledVersions("abdomen-ct-seg").Select(v => v.ToString()));
    }

    [Fact]
    public void A_downgrade_is_refused_unless_allowed_or_pinned()
    {
        var older = Archive("1.0.0");
        Installer.Install(Archive("2.0.0"));

        Assert.Equal(RefusalReason.Downgrade, Assert.Throws<BundleRefusedException>(() => Installer.Install(older)).Reason);
        var pins = new Dictionary<string, SemVersion> { ["abdomen-ct-seg"] = SemVersion.Parse("1.0.0", SemVersionStyles.Strict) };
        Installer.Install(older, new InstallPolicy { Pins = pins });
        Assert.Equal(2, Installer.InstalledVersions("abdomen-ct-seg").Count);
    }

    [Fact]
    public void A_downgrade_is_allowed_when_asked()
    {
        var older = Archive("1.0.0");
        Installer.Install(Archive("2.0.0"));

        Installer.Install(older, new InstallPolicy { AllowDowngrade = true });

        Assert.True(Directory.Exists(temp["bundles/abdomen-ct-seg/1.0.0"]));
    }

    [Fact]
    public void A_pin_on_another_version_does_not_allow_a_downgrade()
    {
        var older = Archive("1.0.0");
        Installer.Install(Archive("2.0.0"));
        var pins = new Dictionary<string, SemVersion> { ["abdomen-ct-seg"] = SemVersion.Parse("1.5.0", SemVersionStyles.Strict) };

        Assert.Equal(RefusalReason.Downgrade, Assert.Throws<BundleRefusedException>(() => Installer.Install(older, new InstallPolicy { Pins = pins })).Reason);
    }

    [Fact]
    public void Stale_staging_leftovers_are_removed_and_fresh_ones_kept()
    {
        var stale = Directory.CreateDirectory(temp["bundles/.staging/crashed"]);
        File.WriteAllText(Path.Combine(stale.FullName, "half.safetensors"), "x");
        stale.LastWriteTimeUtc = publisher.Now.UtcDateTime.AddDays(-2);
        File.WriteAllText(temp["bundles/.staging/busy.download"], "x");
        File.SetLastWriteTimeUtc(temp["bundles/.staging/busy.download"], publisher.Now.UtcDateTime);

        Assert.Equal(1, Installer.RemoveStaleStaging(TimeSpan.FromHours(1)));

        Assert.Equal(["busy.download"], Directory.GetFileSystemEntries(temp["bundles/.staging"]).Select(Path.GetFileName));
    }

    [Fact]
    public void Installed_files_are_not_executable()
    {
        var installed = Installer.Install(Archive());

        if (!OperatingSystem.IsWindows())
        {
            var mode = File.GetUnixFileMode(Path.Combine(installed.Directory, "models", "head.safetensors"));
            Assert.Equal(UnixFileMode.None, mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute));
        }
    }
}
