using System.Globalization;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Inbox.Journal;

/// <summary>
/// <c>.journal/checkpoint</c>: the sequence up to which every journal record's instance file is itself durable (file
/// and directory fsynced), so that recovery replays only the records above it. Replaced atomically.
/// </summary>
internal static class CheckpointFile
{
    /// <summary>The checkpointed sequence; 0 when there is none (or it is unreadable: replaying more is safe).</summary>
    public static long Read(string folder)
    {
        var path = Path.Combine(folder, "checkpoint");
        return File.Exists(path) && long.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            ? sequence
            : 0;
    }

    /// <summary>Durably records <paramref name="sequence"/>.</summary>
    public static void Write(string folder, long sequence)
        => AtomicFile.WriteAllText(Path.Combine(folder, "checkpoint"), sequence.ToString(CultureInfo.InvariantCulture) + "\n");
}
