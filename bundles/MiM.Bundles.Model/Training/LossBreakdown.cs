namespace MiM.Bundles.Model.Training;

/// <summary>The unweighted terms of one step's loss and the weighted total, as plain numbers for logs and CSV.</summary>
public sealed record LossBreakdown(double Total, double Level1, double Level2, double Level3, double Align12, double Align23)
{
    /// <summary>True when every term is a finite number.</summary>
    public bool IsFinite =>
        double.IsFinite(Total) && double.IsFinite(Level1) && double.IsFinite(Level2) && double.IsFinite(Level3)
        && double.IsFinite(Align12) && double.IsFinite(Align23);

    /// <summary>The mean of several breakdowns (micro-batches of one accumulated step).</summary>
    public static LossBreakdown Mean(IReadOnlyList<LossBreakdown> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("No loss breakdowns to average.", nameof(parts));
        }

        return new LossBreakdown(
            parts.Average(p => p.Total),
            parts.Average(p => p.Level1),
            parts.Average(p => p.Level2),
            parts.Average(p => p.Level3),
            parts.Average(p => p.Align12),
            parts.Average(p => p.Align23));
    }
}
