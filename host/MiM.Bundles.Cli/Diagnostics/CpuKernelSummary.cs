using System.Globalization;
using MiM.Bundles.Model.Numerics;

namespace MiM.Bundles.Cli.Diagnostics;

/// <summary>The CPU convolution self-check as `mim info` shows it: the path per kind and every failed check.</summary>
/// <param name="Passed">True when every convolution kind has a path that computed right.</param>
/// <param name="Paths">Kind → path ("LibTorch" or "Explicit"); a kind without a right path is missing.</param>
/// <param name="Checks">How many checks ran.</param>
/// <param name="Seconds">How long the self-check took.</param>
/// <param name="Failures">Each failed check (float32 against float64).</param>
internal sealed record CpuKernelSummary(
    bool Passed, IReadOnlyDictionary<string, string> Paths, int Checks, double Seconds, IReadOnlyList<string> Failures)
{
    public static CpuKernelSummary From(KernelCheckReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new CpuKernelSummary(
            report.Passed,
            report.Paths.ToDictionary(p => p.Key.ToString(), p => p.Value.ToString()),
            report.Checks.Count,
            Math.Round(report.Elapsed.TotalSeconds, 2),
            report.Failures.Select(f => f.ToString()).ToList());
    }

    /// <summary>The lines `mim info` prints.</summary>
    public IEnumerable<string> Lines()
    {
        var kinds = string.Join(", ", Paths.Select(p => $"{p.Key} {p.Value.ToLowerInvariant()}"));
        yield return string.Create(
            CultureInfo.InvariantCulture,
            $"CPU kernels       {(Passed ? "self-check passed" : "SELF-CHECK FAILED: the model will not train or serve on this CPU")} ({Checks} checks against float64, {Seconds:F1} s)");
        yield return $"  paths           {kinds}";
        if (Failures.Count > 0)
        {
            yield return $"  wrong here      {Failures.Count} check(s) of libtorch's own kernels; those kinds take the next path that was right (docs/numerics.md):";
            foreach (var failure in Failures.Take(8))
            {
                yield return "                  " + failure;
            }

            if (Failures.Count > 8)
            {
                yield return $"                  … and {Failures.Count - 8} more (`mim info --json` lists them all)";
            }
        }
    }
}
