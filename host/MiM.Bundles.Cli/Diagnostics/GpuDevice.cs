namespace MiM.Bundles.Cli.Diagnostics;

/// <summary>One CUDA device as the NVIDIA driver reports it.</summary>
/// <param name="Index">CUDA device index (cuda:N).</param>
/// <param name="Name">Marketing name, e.g. "NVIDIA H100 80GB HBM3".</param>
/// <param name="TotalBytes">Device memory in bytes.</param>
/// <param name="FreeBytes">Free device memory in bytes at the time of the query.</param>
internal sealed record GpuDevice(int Index, string Name, ulong TotalBytes, ulong FreeBytes);
