namespace MiM.Bundles.Host.Shadow;

/// <summary>
/// How far a shadow job's result agrees with the serving job's result on the same series, stored on the shadow job.
/// </summary>
/// <param name="ServingJobId">The serving job compared with.</param>
/// <param name="ServingVersion">The version that ran the serving job.</param>
/// <param name="Agreement">One figure in [0, 1]: the mean Dice over labels for segmentations, 1 or 0 for the top class of classifications; null when nothing could be compared.</param>
/// <param name="DicePerLabel">Segmentations: Dice per label value between the two label maps (1 for a label both leave empty).</param>
/// <param name="TopClassAgrees">Classifications: whether both chose the same most likely class.</param>
/// <param name="MaxProbabilityDifference">Classifications: the largest absolute difference of a class's probability.</param>
/// <param name="Note">Why nothing was compared (the serving job failed, the shadow did not run), or null.</param>
public sealed record ShadowAgreement(
    string ServingJobId,
    string ServingVersion,
    double? Agreement,
    IReadOnlyDictionary<int, double>? DicePerLabel = null,
    bool? TopClassAgrees = null,
    double? MaxProbabilityDifference = null,
    string? Note = null);
