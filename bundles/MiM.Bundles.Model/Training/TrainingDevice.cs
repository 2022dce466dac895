using System.Globalization;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>
/// Turns a device setting ("cpu", "cuda", "cuda:N", or a comma list such as "cuda:0,1" for data-parallel training)
/// into torch devices, with errors a person can act on.
/// </summary>
public static class TrainingDevice
{
    /// <summary>Parses a single-device <paramref name="setting"/>; CUDA settings are checked against the devices present.</summary>
    /// <exception cref="ArgumentException">The setting is malformed, lists several devices, or names a device this machine lacks.</exception>
    public static Device Parse(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        if (setting.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Device '{setting}' lists several devices; use {nameof(TrainingDevice)}.{nameof(ParseList)} for data-parallel training.");
        }

        return ParseOne(setting.Trim().ToLowerInvariant(), setting);
    }

    /// <summary>
    /// Parses one device or a comma list of devices: "cuda:0,1" (or "cuda:0,cuda:1") names CUDA devices 0 and 1;
    /// "cpu" may repeat ("cpu,cpu"), which exercises the data-parallel path without a GPU. The first device holds the
    /// master network and the optimizer.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is malformed, a CUDA device is missing or repeated, or CPU and CUDA are mixed.</exception>
    public static IReadOnlyList<Device> ParseList(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var entries = setting.Split(',', StringSplitOptions.TrimEntries);
        var devices = new List<Device>(entries.Length);
        var cudaList = entries[0].StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        foreach (var raw in entries)
        {
            if (raw.Length == 0)
            {
                throw new ArgumentException($"Device list '{setting}' has an empty entry.");
            }

            var text = raw.ToLowerInvariant();
            if (cudaList && text.All(char.IsAsciiDigit))
            {
                text = "cuda:" + text;
            }

            devices.Add(ParseOne(text, setting));
        }

        if (devices.Select(d => d.type).Distinct().Count() > 1)
        {
            throw new ArgumentException($"Device list '{setting}' mixes CPU and CUDA devices; name devices of one kind.");
        }

        var cudaIndices = devices.Where(d => d.type == DeviceType.CUDA).Select(d => d.index).ToList();
        if (cudaIndices.Distinct().Count() != cudaIndices.Count)
        {
            throw new ArgumentException($"Device list '{setting}' names a CUDA device more than once.");
        }

        return devices;
    }

    private static Device ParseOne(string text, string setting)
    {
        if (text == "cpu")
        {
            return CPU;
        }

        var index = 0;
        var wellFormed = text == "cuda"
            || (text.StartsWith("cuda:", StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out index));
        if (!wellFormed)
        {
            throw new ArgumentException($"Device '{setting}' is not understood: use cpu, cuda, cuda:N or a comma list such as cuda:0,1.");
        }

        if (!cuda.is_available())
        {
            throw new ArgumentException($"Device '{setting}' was requested but CUDA is not available on this machine (see `mim info`).");
        }

        if (index >= cuda.device_count())
        {
            throw new ArgumentException($"Device '{setting}': this machine has {cuda.device_count()} CUDA device(s).");
        }

        return new Device(DeviceType.CUDA, index);
    }
}
