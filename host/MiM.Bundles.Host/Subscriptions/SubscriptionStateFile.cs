using System.Text.Json;
using MiM.Bundles.Host.Catalog;

namespace MiM.Bundles.Host.Subscriptions;

/// <summary>
/// <c>&lt;bundles&gt;/.subscriptions.json</c>: the highest index sequence accepted per repository, kept across restarts
/// so that a repository (or a mirror) replaying an older, validly signed index is refused even on the first poll after
/// a restart. Written to a temporary file and renamed.
/// </summary>
internal sealed class SubscriptionStateFile(string bundleDirectory)
{
    public const string FileName = ".subscriptions.json";

    private readonly Lock _gate = new();

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetFullPath(bundleDirectory), FileName);

    public long SequenceOf(Uri repository)
    {
        lock (_gate)
        {
            return Read().GetValueOrDefault(repository.AbsoluteUri);
        }
    }

    public void Remember(Uri repository, long sequence)
    {
        lock (_gate)
        {
            var sequences = Read();
            if (sequences.GetValueOrDefault(repository.AbsoluteUri) >= sequence)
            {
                return;
            }

            sequences[repository.AbsoluteUri] = sequence;
            var temporary = Path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                JsonSerializer.Serialize(stream, new State(sequences), BundleJson.Options);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, Path, overwrite: true);
        }
    }

    private Dictionary<string, long> Read()
    {
        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllBytes(Path), BundleJson.Options)?.Sequences is { } known
                ? new Dictionary<string, long>(known, StringComparer.Ordinal)
                : new Dictionary<string, long>(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new Dictionary<string, long>(StringComparer.Ordinal);
        }
    }

    private sealed record State(IReadOnlyDictionary<string, long> Sequences);
}
