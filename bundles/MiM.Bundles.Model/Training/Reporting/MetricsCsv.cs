namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>
/// metrics.csv of a pre-training run: one row per optimiser step, flushed as written so a killed run keeps its
/// history. On resume, rows beyond the checkpoint's step are dropped (they will be recomputed identically).
/// </summary>
public sealed class MetricsCsv : IDisposable
{
    /// <summary>The header line.</summary>
    public const string Header = "step,lr,loss,level1,level2,level3,align12,align23,step_seconds,elapsed_seconds";

    private static readonly StepCsvColumn[] Columns =
    [
        new("step"), new("lr"), new("loss"), new("level1"), new("level2"), new("level3"), new("align12"), new("align23"),
        new("step_seconds", "F4"), new("elapsed_seconds", "F3"),
    ];

    private readonly StepCsv _csv;

    /// <summary>Opens (or creates) <paramref name="path"/>, keeping rows up to <paramref name="keepThroughStep"/>.</summary>
    public MetricsCsv(string path, long keepThroughStep)
    {
        _csv = new StepCsv(path, Columns, keepThroughStep);
        Rows = _csv.Rows.Select(ToRow).ToList();
    }

    /// <summary>The file written.</summary>
    public string Path => _csv.Path;

    /// <summary>Every row so far, resumed ones included.</summary>
    public List<MetricsRow> Rows { get; }

    /// <summary>Appends and flushes one row.</summary>
    public void Append(MetricsRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        Rows.Add(row);
        _csv.Append(
        [
            row.Step, row.LearningRate, row.Loss.Total, row.Loss.Level1, row.Loss.Level2, row.Loss.Level3, row.Loss.Align12,
            row.Loss.Align23, row.StepSeconds, row.ElapsedSeconds,
        ]);
    }

    /// <inheritdoc/>
    public void Dispose() => _csv.Dispose();

    private static MetricsRow ToRow(double[] f) =>
        new((long)f[0], f[1], new LossBreakdown(f[2], f[3], f[4], f[5], f[6], f[7]), f[8], f[9]);
}
