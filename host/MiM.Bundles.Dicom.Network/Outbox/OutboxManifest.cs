using System.Text.Json;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>A job's state on disk (<c>manifest.json</c>), rewritten atomically after every change.</summary>
internal sealed class OutboxManifest
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The job's id (also its folder name).</summary>
    public required string Id { get; init; }

    /// <summary>The destination's name.</summary>
    public required string Destination { get; init; }

    /// <summary>When the job was enqueued.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>The job's files, in the order they were given.</summary>
    public required List<OutboxFile> Files { get; init; }

    /// <summary>Attempts started so far (counted before each send, so a crash mid-send still counts).</summary>
    public int Attempts { get; set; }

    /// <summary>When the first attempt started.</summary>
    public DateTimeOffset? FirstAttempt { get; set; }

    /// <summary>When the last attempt started.</summary>
    public DateTimeOffset? LastAttempt { get; set; }

    /// <summary>No attempt before this time.</summary>
    public DateTimeOffset NextAttempt { get; set; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; set; }

    /// <summary>Reads the manifest of a job folder.</summary>
    public static OutboxManifest Read(string jobFolder)
        => JsonSerializer.Deserialize<OutboxManifest>(File.ReadAllText(Path.Combine(jobFolder, OutboxLayout.Manifest)), Json)
           ?? throw new JsonException("empty manifest");

    /// <summary>Writes the manifest into a job folder, atomically and fsynced.</summary>
    public void Write(string jobFolder) => AtomicFile.WriteAllText(Path.Combine(jobFolder, OutboxLayout.Manifest), JsonSerializer.Serialize(this, Json));
}

/// <summary>One file of a job.</summary>
internal sealed class OutboxFile
{
    /// <summary>The file's name in the job folder.</summary>
    public required string Name { get; init; }

    /// <summary>The path it was enqueued from (for people reading a dead-letter reason).</summary>
    public required string Source { get; init; }

    /// <summary>True once the destination kept it (success or warning status): never sent again.</summary>
    public bool Delivered { get; set; }

    /// <summary>True once the destination answered it in a way no retry fixes: never sent again, the job is dead-lettered.</summary>
    public bool Permanent { get; set; }

    /// <summary>The last DIMSE status the destination answered for it, if any.</summary>
    public ushort? LastStatus { get; set; }
}
