namespace MiM.Bundles.Dicom.Network.Tests.Inbox;

/// <summary>What an inbox folder holds, for tests that check that nothing was kept.</summary>
internal static class InboxFiles
{
    /// <summary>Every file under <paramref name="root"/> except journal segments that hold no record (a fresh segment
    /// is all zeros); a segment with a record in it is listed.</summary>
    public static IEnumerable<string> All(string root)
        => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !IsEmptyJournalSegment(f));

    private static bool IsEmptyJournalSegment(string path)
    {
        if (!Path.GetFileName(path).StartsWith("segment-", StringComparison.Ordinal) || Path.GetFileName(Path.GetDirectoryName(path)) != ".journal")
        {
            return false;
        }

        using var file = File.OpenRead(path);
        var head = new byte[4];
        return file.Read(head) == 4 && head.All(b => b == 0);
    }
}
