using System.Globalization;

namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>
/// metrics.csv of a run: one row per optimiser step, flushed as written so a killed run keeps its history.
/// On resume, rows beyond the checkpoint's step are dropped (they will be recomputed identically).
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    /// <summary>The header line.</summary>
    public const string Header = "step,lr,loss,level1,level2,level3,align12,align23,step_seconds,elapsed_seconds";

    private readonly StreamWriter _writer;

    /// <summary>Opens (or creates) <paramref name="path"/>, keeping rows up to <paramref name="keepThroughStep"/>.</summary>
    public MetricsCsv(string path, long keepThroughStep)
    {
        Path = path;
        var kept = File.Exists(path)
            ? File.ReadLines(path).Skip(1).Select(Parse).Where(r => r.Step <= keepThroughStep).ToList()
            : [];
        Rows = kept;
        _writer = new StreamWriter(path, append: false);
        _writer.WriteLine(Header);
        foreach (var row in kept)
        {
            _writer.WriteLine(Format(row));
        }

        _writer.Flush();
    }

    /// <summary>The file written.</summary>
    public string Path { get; }

    /// <summary>Every row so far, resumed ones included.</summary>
    public List<MetricsRow> Rows { get; }

    /// <summary>Appends and flushes one row.</summary>
    public void Append(MetricsRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Rows.Add(row);
        _writer.WriteLine(Format(row));
        _writer.Flush();
    }

    /// <inheritdoc/>
    public void Dispose() => _writer.Dispose();

    private static string Format(MetricsRow r) => string.Join(
        ',',
        r.Step.ToString(CultureInfo.InvariantCulture),
        r.LearningRate.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Total.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Level1.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Level2.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Level3.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Align12.ToString("R", CultureInfo.InvariantCulture),
        r.Loss.Align23.ToString("R", CultureInfo.InvariantCulture),
        r.StepSeconds.ToString("F4", CultureInfo.InvariantCulture),
        r.ElapsedSeconds.ToString("F3", CultureInfo.InvariantCulture));

    private static MetricsRow Parse(string line)
    {
        var f = line.Split(',');
        double D(int i) => double.Parse(f[i], CultureInfo.InvariantCulture);
        return new MetricsRow(
            long.Parse(f[0], CultureInfo.InvariantCulture),
            D(1),
            new LossBreakdown(D(2), D(3), D(4), D(5), D(6), D(7)),
            D(8),
            D(9));
    }
}
