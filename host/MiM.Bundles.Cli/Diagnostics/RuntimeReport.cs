using System.Reflection;
using System.Runtime.InteropServices;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Model.Numerics;
using TorchSharp;

namespace MiM.Bundles.Cli.Diagnostics;

/// <summary>What `mim info` reports: versions, the torch backend, and where things are read from.</summary>
internal sealed record RuntimeReport(
    string MimVersion,
    string ContractsVersion,
    string DotnetVersion,
    string OperatingSystem,
    int ProcessorCount,
    string TorchSharpVersion,
    string TorchBackend,
    string? TorchError,
    int TorchThreads,
    bool CudaAvailable,
    int CudaDeviceCount,
    IReadOnlyList<GpuDevice> GpuDevices,
    string BundleDirectory,
    bool BundleDirectoryExists,
    string ConfigDirectory,
    bool ConfigDirectoryExists,
    CpuKernelSummary? CpuKernels,
    TensorPagesSummary? TensorPages)
{
    public static RuntimeReport Collect(MimPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var mim = typeof(RuntimeReport).Assembly;
        var torchSharp = typeof(torch).Assembly;
        string? torchError = null;
        int threads = 0, cudaCount = 0;
        var cuda = false;
        CpuKernelSummary? kernels = null;
        TensorPagesSummary? pages = null;
        try
        {
            threads = torch.get_num_threads();
            cuda = torch.cuda.is_available();
            cudaCount = cuda ? torch.cuda.device_count() : 0;
            kernels = CpuKernelSummary.From(CpuKernelGuard.Report);
            pages = TensorPagesSummary.Measure();
        }
        catch (Exception e) when (e is NotSupportedException or DllNotFoundException or TypeInitializationException)
        {
            // Reported, not thrown: `mim info` is what a person runs to find out why torch does not load.
            torchError = e.GetBaseException().Message;
        }

        return new RuntimeReport(
            MimVersion: InformationalVersion(mim),
            ContractsVersion: Contracts.ContractsVersion.Current,
            DotnetVersion: RuntimeInformation.FrameworkDescription,
            OperatingSystem: $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
            ProcessorCount: Environment.ProcessorCount,
            TorchSharpVersion: InformationalVersion(torchSharp),
            TorchBackend: mim.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "unknown",
            TorchError: torchError,
            TorchThreads: threads,
            CudaAvailable: cuda,
            CudaDeviceCount: cudaCount,
            GpuDevices: NvmlDeviceQuery.Query(),
            BundleDirectory: paths.BundleDirectory,
            BundleDirectoryExists: Directory.Exists(paths.BundleDirectory),
            ConfigDirectory: paths.ConfigDirectory,
            ConfigDirectoryExists: Directory.Exists(paths.ConfigDirectory),
            CpuKernels: kernels,
            TensorPages: pages);
    }

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
