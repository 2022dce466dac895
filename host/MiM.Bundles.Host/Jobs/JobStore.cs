using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiM.Bundles.Dicom.Network.Durability;

namespace MiM.Bundles.Host.Jobs;

/// <summary>
/// The durable job records: one JSON file per job in <c>&lt;data&gt;/jobs/</c>, replaced atomically (temporary file,
/// fsync, rename, directory fsync) at every change, kept in memory for the API. At start-up every record is read back;
/// those not Delivered or Failed are what the pipeline resumes.
/// </summary>
public sealed class JobStore : IJobBoard
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, JobRecord> _jobs = new(StringComparer.Ordinal);

    /// <summary>Opens (creating) the job folder and reads every record in it.</summary>
    public JobStore(string folder)
    {
        _folder = folder;
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.EnumerateFiles(folder, "*.json"))
        {
            if (AtomicFile.IsTemporary(file))
            {
                File.Delete(file);
                continue;
            }

            try
            {
                if (JsonSerializer.Deserialize<JobRecord>(File.ReadAllText(file), Json) is { Id.Length: > 0 } record)
                {
                    _jobs[record.Id] = record;
                }
            }
            catch (JsonException)
            {
                // Written atomically, so only a hand-edited file lands here: keep it for a person, route around it.
                File.Move(file, file + ".unreadable", overwrite: true);
            }
        }
    }

    /// <summary>The folder the records are in.</summary>
    public string Folder => _folder;

    /// <summary>Every record, oldest first.</summary>
    public IReadOnlyList<JobRecord> All => [.. _jobs.Values.OrderBy(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal)];

    /// <summary>The records a restart must take up again: neither delivered nor failed.</summary>
    public IReadOnlyList<JobRecord> Unfinished => [.. All.Where(j => j.State is JobState.Queued or JobState.Running)];

    /// <summary>Writes a new record durably; false (and nothing written) when a job with its id exists already.</summary>
    public bool TryCreate(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (record)
        {
            if (!_jobs.TryAdd(record.Id, record))
            {
                return false;
            }

            Write(record);
            return true;
        }
    }

    /// <summary>Changes a record and writes it durably before returning.</summary>
    public void Update(JobRecord record, Action<JobRecord> change)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(change);
        lock (record)
        {
            change(record);
            Write(record);
        }
    }

    /// <summary>Removes a finished record (retention).</summary>
    public void Delete(JobRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_jobs.TryRemove(record.Id, out _))
        {
            File.Delete(PathOf(record.Id));
        }
    }

    /// <summary>The record with <paramref name="id"/>, or null.</summary>
    public JobRecord? Get(string id) => _jobs.GetValueOrDefault(id);

    /// <inheritdoc/>
    public IReadOnlyList<JobView> Recent(int max)
    {
        var records = _jobs.Values.OrderByDescending(j => j.Created).ThenBy(j => j.Id, StringComparer.Ordinal).Take(max).ToList();
        return [.. records.Select(View)];
    }

    /// <inheritdoc/>
    public JobView? Find(string id) => _jobs.TryGetValue(id, out var record) ? View(record) : null;

    private static JobView View(JobRecord record)
    {
        lock (record)
        {
            return record.ToView();
        }
    }

    private void Write(JobRecord record) => AtomicFile.WriteAllText(PathOf(record.Id), JsonSerializer.Serialize(record, Json));

    private string PathOf(string id) => Path.Combine(_folder, id + ".json");
}
