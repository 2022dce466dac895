using System.Globalization;

namespace MiM.Bundles.Cli.Commands.Demo;

/// <summary>
/// Prints what the demo's heads reached on their held-out phantoms during training (the last row of each run's
/// validation.csv), so the checks that follow can be read against it.
/// </summary>
internal static class TrainingFigures
{
    public static void Print(string cacheFolder, TextWriter console)
    {
        Print(Path.Combine(cacheFolder, "runs", "organs", "validation.csv"), "organ segmentation, held-out phantom", console);
        Print(Path.Combine(cacheFolder, "runs", "lesion", "validation.csv"), "lesion classification, held-out phantoms", console);
    }

    private static void Print(string file, string what, TextWriter console)
    {
        if (!File.Exists(file))
        {
            return;
        }

        var lines = File.ReadAllLines(file).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2)
        {
            return;
        }

        var header = lines[0].Split(',');
        var best = lines.Skip(1).Select(l => l.Split(',')).MaxBy(v => double.Parse(v[1], CultureInfo.InvariantCulture))!;
        console.WriteLine($"  {what} (best validation, step {best[0]}): {string.Join(", ", header.Skip(1).Zip(best.Skip(1)).Select(p => $"{p.First} {p.Second}"))}");
    }
}
