namespace MiM.Bundles.Model.Evaluation;

/// <summary>Overlap and surface distance of one label between a prediction and a reference.</summary>
/// <param name="Label">The label value.</param>
/// <param name="Name">Its name.</param>
/// <param name="Dice">2|P∩R| / (|P| + |R|); NaN when both are empty.</param>
/// <param name="Hd95Mm">95th-percentile symmetric Hausdorff distance between the surfaces, mm; NaN when either is empty.</param>
/// <param name="PredictedVoxels">|P|.</param>
/// <param name="ReferenceVoxels">|R|.</param>
public sealed record ClassMetrics(int Label, string Name, double Dice, double Hd95Mm, long PredictedVoxels, long ReferenceVoxels);
