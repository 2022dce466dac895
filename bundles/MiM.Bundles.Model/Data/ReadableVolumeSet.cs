using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// The source's files as prepared volumes: reads, prepares and caches them, and remembers which cannot be read.
/// A file's readability is a property of the file, so redrawing past unreadable files keeps each step's choice a
/// pure function of (seed, step, readable files), whatever the set has already discovered.
/// </summary>
internal sealed class ReadableVolumeSet
{
    private const int ReasonsInError = 5;

    private readonly IReadOnlyList<string> _files;
    private readonly int _cropSize;
    private readonly Func<string, Volume> _read;
    private readonly PreparedVolumeCache _cache;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<int, string> _skipped = new();
    private long _volumesPrepared;

    public ReadableVolumeSet(IReadOnlyList<string> files, int cropSize, Func<string, Volume> read, long cacheBytes, ILogger logger)
    {
        _files = files;
        _cropSize = cropSize;
        _read = read;
        _cache = new PreparedVolumeCache(cacheBytes);
        _logger = logger;
    }

    /// <summary>The files, in source order.</summary>
    public IReadOnlyList<string> Files => _files;

    /// <summary>Unreadable files so far: path → reason. Safe to read from any thread.</summary>
    public IReadOnlyDictionary<string, string> Skipped => _skipped.ToDictionary(entry => _files[entry.Key], entry => entry.Value);

    /// <summary>How many files have been found unreadable.</summary>
    public int SkippedCount => _skipped.Count;

    /// <summary>How many times a file was read and prepared (cache misses).</summary>
    public long VolumesPrepared => Interlocked.Read(ref _volumesPrepared);

    /// <summary>
    /// Draws file indices from <paramref name="choice"/> until one is readable, and returns it prepared.
    /// </summary>
    /// <exception cref="PretrainDataException">Every file is unreadable.</exception>
    public (int Index, PreparedVolume Volume) Choose(StepRandom choice, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_skipped.Count == _files.Count)
            {
                throw AllUnreadable();
            }

            var index = choice.NextInt(_files.Count);
            if (_skipped.ContainsKey(index))
            {
                continue;
            }

            var volume = GetOrPrepare(index);
            if (volume is not null)
            {
                return (index, volume);
            }
        }
    }

    private PreparedVolume? GetOrPrepare(int index)
    {
        if (_cache.TryGet(index, out var cached))
        {
            return cached;
        }

        var path = _files[index];
        var watch = Stopwatch.StartNew();
        PreparedVolume prepared;
        try
        {
            prepared = CtPreprocessor.Prepare(_read(path), _cropSize);
        }
        catch (Exception ex) when (IsUnreadable(ex))
        {
            // Remembered for good: retrying a corrupt file every time it is drawn would only repeat the cost.
            _skipped[index] = ex.Message;
            PretrainLoaderLog.Skipped(_logger, path, ex.Message);
            return null;
        }

        Interlocked.Increment(ref _volumesPrepared);
        PretrainLoaderLog.Prepared(_logger, path, prepared.SizeI, prepared.SizeJ, prepared.SizeK, watch.ElapsedMilliseconds);
        _cache.Add(index, prepared);
        return prepared;
    }

    // Problems of the file, not of the program: missing, corrupt, unsupported, or a geometry no grid can have.
    private static bool IsUnreadable(Exception ex) =>
        ex is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException or NotSupportedException;

    private PretrainDataException AllUnreadable()
    {
        var reasons = _skipped.OrderBy(entry => entry.Key).Take(ReasonsInError).Select(entry => $"'{_files[entry.Key]}': {entry.Value}");
        var more = _files.Count > ReasonsInError ? $" (and {_files.Count - ReasonsInError} more)" : string.Empty;
        return new PretrainDataException(
            $"None of the {_files.Count} pre-training files could be read{more}. First reasons: {string.Join("; ", reasons)}");
    }
}
