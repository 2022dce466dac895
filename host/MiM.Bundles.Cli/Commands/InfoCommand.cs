using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Cli.Diagnostics;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim info`: versions, torch backend, threads, CUDA devices, and where bundles and settings are read from.</summary>
internal static class InfoCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (for scripts and support tickets)." };
        var command = new Command(
            "info",
            "Show versions, the torch backend (cpu or cuda), torch threads, CUDA devices and their memory, the CPU "
            + "convolution self-check (every convolution kind the networks use, against float64; exit 1 when one is wrong), "
            + $"and the folders bundles and settings are read from (set {MimPaths.BundleDirectoryVariable} / "
            + $"{MimPaths.ConfigDirectoryVariable} to move them).");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var report = RuntimeReport.Collect(MimPaths.Resolve(Environment.GetEnvironmentVariable));
            Console.Out.Write(parse.GetValue(json) ? JsonSerializer.Serialize(report, JsonOptions) + "\n" : Format(report));
            return report.TorchError is null && report.CpuKernels?.Passed != false ? 0 : 1;
        });
        return command;
    }

    internal static string Format(RuntimeReport r)
    {
        var lines = new List<string>
        {
            $"mim               {r.MimVersion} (contracts {r.ContractsVersion})",
            $".NET              {r.DotnetVersion}",
            $"OS                {r.OperatingSystem}, {r.ProcessorCount} logical CPUs",
            $"TorchSharp        {r.TorchSharpVersion}, native backend: {r.TorchBackend}",
        };
        if (r.TorchError is not null)
        {
            // TorchSharp's message runs to a page of probing trace; the first line and a pointer are what a person needs.
            lines.Add($"torch             FAILED TO LOAD: {r.TorchError.Split('\n')[0]}");
            lines.Add("                  `ldd runtimes/linux-x64/native/libLibTorchSharp.so` in the install folder shows the cause; "
                + "`mim info --json` has TorchSharp's full trace.");
        }
        else
        {
            lines.Add($"torch threads     {r.TorchThreads}");
            lines.Add(r.TensorPages?.Line() ?? "tensor pages      unknown");
            lines.Add($"CUDA              {(r.CudaAvailable ? $"available, {r.CudaDeviceCount} device(s)" : "not available (running on CPU)")}");
            lines.AddRange(r.CpuKernels?.Lines() ?? []);
        }

        foreach (var gpu in r.GpuDevices)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"  cuda:{gpu.Index}          {gpu.Name}, {gpu.TotalBytes / 1073741824.0:F1} GiB ({gpu.FreeBytes / 1073741824.0:F1} GiB free)"));
        }

        lines.Add($"bundles from      {r.BundleDirectory}{(r.BundleDirectoryExists ? "" : " (does not exist yet)")}");
        lines.Add($"settings from     {r.ConfigDirectory}{(r.ConfigDirectoryExists ? "" : " (does not exist)")}");
        return string.Join('\n', lines) + "\n";
    }
}
