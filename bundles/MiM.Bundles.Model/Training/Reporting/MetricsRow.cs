namespace MiM.Bundles.Model.Training.Reporting;

/// <summary>One optimiser step as it appears in metrics.csv.</summary>
/// <param name="Step">1-based optimiser step.</param>
/// <param name="LearningRate">Learning rate used for the step.</param>
/// <param name="Loss">Loss terms (mean over accumulated crops).</param>
/// <param name="StepSeconds">Wall time of the step.</param>
/// <param name="ElapsedSeconds">Training time since the run began (across resumes).</param>
public sealed record MetricsRow(long Step, double LearningRate, LossBreakdown Loss, double StepSeconds, double ElapsedSeconds);
