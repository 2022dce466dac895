namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>loss.png of a run: the total and each term against the optimiser step.</summary>
public static class LossCurvePlot
{
    /// <summary>Renders <paramref name="rows"/> to a PNG at <paramref name="path"/> (replaced atomically).</summary>
    public static void Write(string path, IReadOnlyList<MetricsRow> rows, string title)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        var plot = new ScottPlot.Plot();
        var steps = rows.Select(r => (double)r.Step).ToArray();
        AddSeries(plot, steps, rows.Select(r => r.Loss.Total), "total");
        AddSeries(plot, steps, rows.Select(r => r.Loss.Level1), "L1 (coarse)");
        AddSeries(plot, steps, rows.Select(r => r.Loss.Level2), "L2");
        AddSeries(plot, steps, rows.Select(r => r.Loss.Level3), "L3 (fine)");
        AddSeries(plot, steps, rows.Select(r => r.Loss.Align12), "A12");
        AddSeries(plot, steps, rows.Select(r => r.Loss.Align23), "A23");
        plot.Title(title);
        plot.XLabel("optimiser step");
        plot.YLabel("loss");
        plot.ShowLegend();
        var temp = path + ".tmp.png";
        plot.SavePng(temp, 900, 540);
        File.Move(temp, path, overwrite: true);
    }

    private static void AddSeries(ScottPlot.Plot plot, double[] steps, IEnumerable<double> values, string label)
    {
        var scatter = plot.Add.Scatter(steps, values.ToArray());
        scatter.LegendText = label;
        scatter.MarkerSize = steps.Length > 60 ? 0 : 3;
    }
}
