using System.Runtime.InteropServices;
using System.Text;

namespace MiM.Bundles.Cli.Diagnostics;

/// <summary>
/// Device names and memory from the NVIDIA driver's NVML library. TorchSharp reports only a device count,
/// and NVML is what nvidia-smi itself uses; where the driver is absent the list is empty.
/// </summary>
internal static partial class NvmlDeviceQuery
{
    private const string Library = "libnvidia-ml.so.1";

    public static IReadOnlyList<GpuDevice> Query()
    {
        if (!NativeLibrary.TryLoad(Library, out var handle))
        {
            return [];
        }

        NativeLibrary.Free(handle);
        try
        {
            if (nvmlInit_v2() != 0)
            {
                return [];
            }

            try
            {
                if (nvmlDeviceGetCount_v2(out var count) != 0)
                {
                    return [];
                }

                var devices = new List<GpuDevice>();
                for (uint i = 0; i < count; i++)
                {
                    if (nvmlDeviceGetHandleByIndex_v2(i, out var device) != 0)
                    {
                        continue;
                    }

                    var name = new byte[96];
                    var nameText = nvmlDeviceGetName(device, name, (uint)name.Length) == 0
                        ? Encoding.ASCII.GetString(name).TrimEnd('\0')
                        : "unknown";
                    var memory = default(NvmlMemory);
                    _ = nvmlDeviceGetMemoryInfo(device, ref memory);
                    devices.Add(new GpuDevice((int)i, nameText, memory.Total, memory.Free));
                }

                return devices;
            }
            finally
            {
                _ = nvmlShutdown();
            }
        }
        catch (EntryPointNotFoundException)
        {
            return [];
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    [LibraryImport(Library)]
    private static partial int nvmlInit_v2();

    [LibraryImport(Library)]
    private static partial int nvmlShutdown();

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetCount_v2(out uint count);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetHandleByIndex_v2(uint index, out nint device);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetName(nint device, [Out] byte[] name, uint length);

    [LibraryImport(Library)]
    private static partial int nvmlDeviceGetMemoryInfo(nint device, ref NvmlMemory memory);
}
