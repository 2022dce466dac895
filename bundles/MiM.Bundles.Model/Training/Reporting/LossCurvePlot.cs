namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>loss.png of a pre-training run: the total and each term against the optimiser step.</summary>
public static class LossCurvePlot
{
    /// <summary>Renders <paramref name="rows"/> to a PNG at <paramref name="path"/> (replaced atomically).</summary>
    public static void Write(string path, IReadOnlyList<MetricsRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var steps = rows.Select(r => (double)r.Step).ToArray();
        CurveSeries Series(string label, Func<LossBreakdown, double> term) => new(label, steps, rows.Select(r => term(r.Loss)).ToArray());
        CurvePlot.Write(path, title, "loss",
        [
            Series("total", l => l.Total),
            Series("L1 (coarse)", l => l.Level1),
            Series("L2", l => l.Level2),
            Series("L3 (fine)", l => l.Level3),
            Series("A12", l => l.Align12),
            Series("A23", l => l.Align23),
        ]);
    }
}
