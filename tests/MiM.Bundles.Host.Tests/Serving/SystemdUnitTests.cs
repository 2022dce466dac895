using System.Diagnostics;
using MiM.Bundles.Dicom.Network.Tests.Peers;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>configs/systemd/mim-serve.service checked by systemd's own parser (`systemd-analyze verify`).</summary>
public sealed class SystemdUnitTests
{
    private const string InstalledProgram = "/opt/mim-bundles/mim";

    private static readonly string[] ToolPaths = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"];

    [Fact]
    public void Shipped_unit_passes_systemd_analyze_verify_without_a_warning()
    {
        var (exitCode, output) = Verify(File.ReadAllText(RepositoryFiles.Path("configs", "systemd", "mim-serve.service")));

        Assert.True(exitCode == 0 && output.Length == 0, $"systemd-analyze verify (exit {exitCode}):\n{output}");
    }

    [Fact]
    public void Verification_catches_a_bad_setting_so_the_check_above_can_fail()
    {
        var unit = File.ReadAllText(RepositoryFiles.Path("configs", "systemd", "mim-serve.service")).Replace("Type=notify", "Type=notifyy", StringComparison.Ordinal);

        var (_, output) = Verify(unit);

        Assert.Contains("Failed to parse service type", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_runs_the_serve_verb_as_a_notify_service_under_its_own_user()
    {
        var unit = File.ReadAllText(RepositoryFiles.Path("configs", "systemd", "mim-serve.service"));

        Assert.Contains("\nType=notify\n", unit, StringComparison.Ordinal);
        Assert.Contains("\nUser=mim\n", unit, StringComparison.Ordinal);
        Assert.Contains($"\nExecStart={InstalledProgram} serve ", unit, StringComparison.Ordinal);
        Assert.Contains("\nProtectSystem=strict\n", unit, StringComparison.Ordinal);
    }

    /// <summary>
    /// Verifies a copy whose program path points at a stand-in executable in a temporary folder: verify checks that
    /// ExecStart exists, and the real one is installed only at a site. Nothing else of the unit is changed.
    /// </summary>
    private static (int ExitCode, string Output) Verify(string unit)
    {
        Assert.True(OperatingSystem.IsLinux(), "systemd units are checked on Linux");
        var tool = ToolPaths.FirstOrDefault(File.Exists);
        Assert.True(tool is not null, "systemd-analyze is missing: install the systemd package (apt-get install systemd), as scripts/install-peers.sh does");
        using var temp = new TempFolder("systemd-unit");
        var program = Path.Combine(temp.Path, "mim");
        File.WriteAllText(program, "#!/bin/sh\n");
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Assert.Contains(InstalledProgram + " ", unit, StringComparison.Ordinal);
        var file = Path.Combine(temp.Path, "mim-serve.service");
        File.WriteAllText(file, unit.Replace(InstalledProgram + " ", program + " ", StringComparison.Ordinal));
        var info = new ProcessStartInfo(tool!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("verify");
        info.ArgumentList.Add(file);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(60_000), "systemd-analyze verify did not finish in 60 s");
        return (process.ExitCode, (stdout.Result + stderr.Result).Trim());
    }
}
