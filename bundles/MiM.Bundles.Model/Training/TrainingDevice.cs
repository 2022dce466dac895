using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>Turns a device setting ("cpu", "cuda", "cuda:N") into a torch device, with errors a person can act on.</summary>
public static class TrainingDevice
{
    /// <summary>Parses <paramref name="setting"/>; CUDA settings are checked against the devices present.</summary>
    /// <exception cref="ArgumentException">The setting is malformed or names a device this machine lacks.</exception>
    public static Device Parse(string setting)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(setting);
        var text = setting.Trim().ToLowerInvariant();
        if (text == "cpu")
        {
            return CPU;
        }

        if (!text.StartsWith("cuda", StringComparison.Ordinal))
        {
            throw new ArgumentException($"Device '{setting}' is not understood: use cpu, cuda or cuda:N.");
        }

        if (text.Contains(',', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Device '{setting}': data-parallel training over several devices is not implemented yet; name one device.");
        }

        if (!cuda.is_available())
        {
            throw new ArgumentException($"Device '{setting}' was requested but CUDA is not available on this machine (see `mim info`).");
        }

        var index = text == "cuda" ? 0 : int.Parse(text.AsSpan(5), System.Globalization.CultureInfo.InvariantCulture);
        if (index < 0 || index >= cuda.device_count())
        {
            throw new ArgumentException($"Device '{setting}': this machine has {cuda.device_count()} CUDA device(s).");
        }

        return new Device(DeviceType.CUDA, index);
    }
}
