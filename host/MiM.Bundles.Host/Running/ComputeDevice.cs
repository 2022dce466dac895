namespace MiM.Bundles.Host.Running;

/// <summary>A device jobs run on, with the memory the scheduler may hand out.</summary>
/// <param name="Name">TorchSharp's device string: "cpu", "cuda:0", …</param>
/// <param name="MemoryBytes">Memory available to jobs.</param>
public sealed record ComputeDevice(string Name, long MemoryBytes)
{
    /// <summary>The CPU, with no memory limit of its own (the operating system's applies).</summary>
    public static ComputeDevice Cpu { get; } = new("cpu", long.MaxValue);
}
