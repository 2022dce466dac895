using System.Globalization;

namespace MiM.Bundles.Bench;

/// <summary>Peak resident memory of this process (Linux VmHWM), resettable between measurements.</summary>
internal static class PeakMemory
{
    public static void Reset()
    {
        // Writing 5 to clear_refs resets the peak RSS counter (Linux ≥ 4.0).
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    public static double Megabytes()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
