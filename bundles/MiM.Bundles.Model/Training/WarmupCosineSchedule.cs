namespace MiM.Bundles.Model.Training;

/// <summary>Linear warm-up to the peak learning rate, then a half cosine down to the minimum, per step.</summary>
public sealed record WarmupCosineSchedule(double PeakLearningRate, double MinLearningRate, long WarmupSteps, long TotalSteps)
{
    /// <summary>The learning rate for optimiser step <paramref name="step"/> (0-based).</summary>
    public double At(long step)
    {
        if (step < WarmupSteps)
        {
            return PeakLearningRate * (step + 1) / WarmupSteps;
        }

        var span = Math.Max(1, TotalSteps - WarmupSteps);
        var progress = Math.Clamp((double)(step - WarmupSteps) / span, 0, 1);
        return MinLearningRate + ((PeakLearningRate - MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
