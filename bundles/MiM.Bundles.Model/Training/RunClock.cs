using System.Diagnostics;

namespace MiM.Bundles.Model.Training;

/// <summary>Training time of a run across resumes, and the throughput and ETA of the current session.</summary>
/// <param name="startStep">The step this session started at (the resumed checkpoint's, or 0).</param>
/// <param name="totalSteps">Optimiser steps in the run.</param>
/// <param name="elapsedBefore">Training seconds of earlier sessions (from the checkpoint).</param>
public sealed class RunClock(long startStep, long totalSteps, double elapsedBefore)
{
    private readonly Stopwatch _session = Stopwatch.StartNew();

    /// <summary>Training seconds since the run began, earlier sessions included.</summary>
    public double ElapsedSeconds => elapsedBefore + _session.Elapsed.TotalSeconds;

    /// <summary>Steps per second over this session, once <paramref name="step"/> steps are complete.</summary>
    public double StepsPerSecond(long step) => (step - startStep) / Math.Max(_session.Elapsed.TotalSeconds, 1e-9);

    /// <summary>Time left at this session's rate, once <paramref name="step"/> steps are complete.</summary>
    public TimeSpan Eta(long step) => TimeSpan.FromSeconds((totalSteps - step) / StepsPerSecond(step));
}
