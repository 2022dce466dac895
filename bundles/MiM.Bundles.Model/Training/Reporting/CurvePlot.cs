namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>One line of a <see cref="CurvePlot"/>.</summary>
/// <param name="Label">Legend text.</param>
/// <param name="Steps">X values (optimiser steps).</param>
/// <param name="Values">Y values, one per step.</param>
public sealed record CurveSeries(string Label, IReadOnlyList<double> Steps, IReadOnlyList<double> Values);

/// <summary>A PNG of values against the optimiser step, one line per series (training curves of every kind of run).</summary>
public static class CurvePlot
{
    /// <summary>Renders <paramref name="series"/> to a PNG at <paramref name="path"/> (replaced atomically); nothing is written when there are no points.</summary>
    public static void Write(string path, string title, string yLabel, IReadOnlyList<CurveSeries> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.All(s => s.Steps.Count == 0))
        {
            return;
        }

        var plot = new ScottPlot.Plot();
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.Steps.ToArray(), line.Values.ToArray());
            scatter.LegendText = line.Label;
            scatter.MarkerSize = line.Steps.Count > 60 ? 0 : 3;
        }

        plot.Title(title);
        plot.XLabel("optimiser step");
        plot.YLabel(yLabel);
        plot.ShowLegend();
        var temp = path + ".tmp.png";
        plot.SavePng(temp, 900, 540);
        File.Move(temp, path, overwrite: true);
    }
}
