namespace MiM.Bundles.Model.Training.Checkpoints;

/// <summary>
/// The non-tensor part of a training checkpoint. Random state is (seed, step): every random choice of step k
/// is drawn from streams derived from both (see <see cref="Randomness.StepRandom"/>), so nothing else is needed.
/// </summary>
/// <param name="Step">Optimiser steps completed.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="ConfigJson">The recipe the run was started with.</param>
/// <param name="ElapsedSeconds">Training time so far, for ETA and throughput after a resume.</param>
public sealed record CheckpointState(long Step, ulong Seed, string ConfigJson, double ElapsedSeconds);
