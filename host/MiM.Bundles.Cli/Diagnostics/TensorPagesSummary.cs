using System.Globalization;
using MiM.Bundles.Model.Runtime;
using static TorchSharp.torch;

namespace MiM.Bundles.Cli.Diagnostics;

/// <summary>
/// How large tensors get their pages here, proven rather than assumed: a 64 MB tensor is filled, freed and filled
/// again on a worker thread (where the host's jobs run), counting the page faults of the second fill: ~16,384 with
/// 4 KiB pages, ~32 with huge pages, about none when freed memory is kept.
/// </summary>
/// <param name="Mode">The mode in force.</param>
/// <param name="RefillPageFaults">Minor page faults of the second fill (process-wide, so a little noise is normal).</param>
internal sealed record TensorPagesSummary(TensorPagesMode Mode, long RefillPageFaults)
{
    private const long Elements = 16L * 1024 * 1024;

    public static TensorPagesSummary Measure() =>
        Task.Run(() =>
        {
            FillAndFree();
            var before = MinorPageFaults();
            FillAndFree();
            return new TensorPagesSummary(TensorPages.Mode, MinorPageFaults() - before);
        }).GetAwaiter().GetResult();

    /// <summary>The line of `mim info`.</summary>
    public string Line() => Mode switch
    {
        TensorPagesMode.Kept => $"tensor pages      freed tensor memory kept for the next tensor, huge pages where allowed ({RefillPageFaults} page faults to refill 64 MB; {TensorPages.ModeVariable}=huge or default changes it)",
        TensorPagesMode.HugePages => $"tensor pages      transparent huge pages for tensors of 2 MiB or more ({RefillPageFaults} page faults to refill 64 MB; {TensorPages.ModeVariable}=default turns it off)",
        _ => $"tensor pages      4 KiB ({RefillPageFaults} page faults to refill 64 MB)",
    };

    private static void FillAndFree()
    {
        using var tensor = empty(Elements);
        tensor.fill_(1.0f);
    }

    /// <summary>Field 10 of /proc/self/stat: the process's minor faults (0 where there is no /proc).</summary>
    private static long MinorPageFaults()
    {
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }

        var stat = File.ReadAllText("/proc/self/stat");
        return long.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[7], CultureInfo.InvariantCulture);
    }
}
