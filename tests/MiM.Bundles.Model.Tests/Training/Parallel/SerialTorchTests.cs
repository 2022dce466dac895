namespace MiM.Bundles.Model.Tests.Training.Parallel;

/// <summary>
/// The data-parallel tests seed and draw from libtorch's process-wide generator (network initialisation, crops) and
/// compare two runs that must start from the same weights, so they run on their own, after the parallel test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTorchTests
{
    public const string Name = "Data-parallel training (serial: global torch RNG)";
}
