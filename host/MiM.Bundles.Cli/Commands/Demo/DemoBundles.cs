using System.Diagnostics;
using System.Globalization;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// Builds the demo bundles into OUT/cache/HASH/ by running <see cref="DemoRecipe.Steps"/>, or reuses them when that folder
/// is complete (its READY file exists). An interrupted build continues where it stopped: finished steps are skipped,
/// training resumes from its checkpoints, a half-written bundle folder is made again.
/// </summary>
internal sealed class DemoBundles
{
    private const string ReadyFile = "READY";

    private readonly DemoRecipe _recipe;
    private readonly TextWriter _out;

    public DemoBundles(DemoRecipe recipe, TextWriter output)
    {
        _recipe = recipe;
        _out = output;
    }

    /// <summary>What <see cref="BuildOrReuse"/> gives: the bundle folder, the cache folder and whether it was reused.</summary>
    public sealed record Outcome(bool Succeeded, string CacheFolder, string BundleFolder, bool Reused, string Log);

    /// <summary>Builds or reuses the bundles for <paramref name="outFolder"/>; each step's child output goes to the cache's build.log.</summary>
    public Outcome BuildOrReuse(string outFolder, TimeSpan stepTimeout)
    {
        var cache = Path.Combine(Path.GetFullPath(outFolder), "cache", _recipe.Hash());
        var bundles = Path.Combine(cache, "bundles");
        var log = Path.Combine(cache, "build.log");
        if (File.Exists(Path.Combine(cache, ReadyFile)))
        {
            _out.WriteLine($"  reusing the bundles of recipe {Path.GetFileName(cache)} ({bundles})");
            return new Outcome(true, cache, bundles, Reused: true, log);
        }

        Directory.CreateDirectory(cache);
        _out.WriteLine($"  building the bundles of recipe {Path.GetFileName(cache)} (first run only; output in {log})");
        for (var n = 0; n < DemoRecipe.Steps.Count; n++)
        {
            var step = DemoRecipe.Steps[n];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"  [{n + 1}/{DemoRecipe.Steps.Count}] {step.Name}");
            if (File.Exists(_recipe.Resolve(step.DoneWhen, cache)))
            {
                _out.WriteLine($"{prefix}: done before");
                continue;
            }

            var arguments = step.Arguments.Select(a => _recipe.Resolve(a, cache)).ToList();
            if (arguments is ["bundle", "new", ..])
            {
                // `bundle new` refuses an existing folder: one left half-written by an interrupted run is made again.
                var target = arguments[arguments.IndexOf("--out") + 1];
                if (Directory.Exists(target))
                {
                    Directory.Delete(target, recursive: true);
                }
            }

            _out.Write($"{prefix} ...");
            _out.Flush();
            var clock = Stopwatch.StartNew();
            var status = MimChildProcess.Run(arguments, log, stepTimeout);
            _out.WriteLine(string.Create(CultureInfo.InvariantCulture, $" {(status == 0 ? "ok" : $"FAILED (exit {status})")} {clock.Elapsed.TotalSeconds:F0} s"));
            if (status != 0)
            {
                foreach (var line in Tail(log, 15))
                {
                    _out.WriteLine($"      | {line}");
                }

                return new Outcome(false, cache, bundles, Reused: false, log);
            }
        }

        File.WriteAllText(Path.Combine(cache, ReadyFile), DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) + "\n");
        return new Outcome(true, cache, bundles, Reused: false, log);
    }

    private static IEnumerable<string> Tail(string file, int lines) =>
        File.Exists(file) ? File.ReadLines(file).TakeLast(lines) : [];
}
