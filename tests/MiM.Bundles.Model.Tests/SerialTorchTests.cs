namespace MiM.Bundles.Model.Tests;

/// <summary>
/// Tests that seed and draw from libtorch's process-wide generator (network initialisation) and
/// compare two runs that must start from the same weights, so they run on their own, after the parallel test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "Training runs (serial: global torch RNG)";
}
