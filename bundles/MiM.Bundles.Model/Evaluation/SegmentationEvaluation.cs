namespace MiM.Bundles.Model.Evaluation;

/// <summary>Per-class metrics of a segmentation and their summary.</summary>
/// <param name="Classes">One entry per foreground label (1 … K−1).</param>
public sealed record SegmentationEvaluation(IReadOnlyList<ClassMetrics> Classes)
{
    /// <summary>Mean Dice over the foreground classes whose Dice is defined (the paper's metric); NaN if none is.</summary>
    public double MeanDice
    {
        get
        {
            var defined = Classes.Where(c => !double.IsNaN(c.Dice)).ToList();
            return defined.Count == 0 ? double.NaN : defined.Average(c => c.Dice);
        }
    }
}
