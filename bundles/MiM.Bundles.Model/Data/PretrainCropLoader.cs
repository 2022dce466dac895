using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Data;

/// <summary>
/// Produces the level-1 crops of steps firstStep, firstStep + 1, … on a background task, up to
/// <c>prefetch</c> ahead of the consumer, so reading and preprocessing overlap training. Step k's volume comes from
/// <see cref="RandomPurpose.VolumeChoice"/> and its crop position from <see cref="RandomPurpose.Crop"/> of
/// (seed, k), so the sequence does not depend on prefetch depth, cache size or where a run resumed.
/// </summary>
public sealed class PretrainCropLoader : IAsyncDisposable, IDisposable
{
    /// <summary>The default budget of the prepared-volume cache: 2 GiB.</summary>
    public const long DefaultCacheBytes = 2L << 30;

    private readonly ulong _seed;
    private readonly int _cropSize;
    private readonly ReadableVolumeSet _volumes;
    private readonly Channel<PretrainCrop> _channel;
    private readonly CancellationTokenSource _stop = new();
    private readonly ILogger _logger;
    private readonly Task _producer;
    private Exception? _failure;
    private int _disposed;

    /// <summary>Starts producing crops for steps from <paramref name="firstStep"/> on.</summary>
    /// <param name="source">The files to draw from.</param>
    /// <param name="cropSize">Voxels per axis of each crop (2·S: 192 full size).</param>
    /// <param name="seed">The run's seed.</param>
    /// <param name="firstStep">The first step to produce (0, or the step a resumed run continues at).</param>
    /// <param name="prefetch">How many crops may wait ready ahead of the consumer (at least 1).</param>
    /// <param name="logger">Receives skipped files and progress.</param>
    /// <param name="cacheBytes">Budget of the prepared-volume cache in bytes; 0 disables it.</param>
    /// <param name="readVolume">Reads one file (default: <see cref="NiftiReader.ReadVolume"/>); lets DICOM series plug in later.</param>
    public PretrainCropLoader(
        PretrainDatasetSource source,
        int cropSize,
        ulong seed,
        long firstStep,
        int prefetch,
        ILogger logger,
        long cacheBytes = DefaultCacheBytes,
        Func<string, Volume>? readVolume = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cropSize);
        ArgumentOutOfRangeException.ThrowIfNegative(firstStep);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(prefetch);
        ArgumentOutOfRangeException.ThrowIfNegative(cacheBytes);
        _seed = seed;
        _cropSize = cropSize;
        _logger = logger;
        _volumes = new ReadableVolumeSet(source.Files, cropSize, readVolume ?? NiftiReader.ReadVolume, cacheBytes, logger);
        _channel = Channel.CreateBounded<PretrainCrop>(
            new BoundedChannelOptions(prefetch) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        PretrainLoaderLog.Started(logger, source.Files.Count, cropSize, firstStep, prefetch, cacheBytes >> 20);
        _producer = Task.Run(() => ProduceAsync(firstStep, _stop.Token));
    }

    /// <summary>Files found unreadable so far: path → reason. Each is tried once and then left out.</summary>
    public IReadOnlyDictionary<string, string> SkippedFiles => _volumes.Skipped;

    /// <summary>How many files have been found unreadable so far.</summary>
    public int SkippedCount => _volumes.SkippedCount;

    /// <summary>How many times a file was read and preprocessed (cache misses), for monitoring.</summary>
    public long VolumesPrepared => _volumes.VolumesPrepared;

    /// <summary>
    /// Computes the crop of <paramref name="step"/> directly, without a loader (for tests and tools). Gives exactly
    /// what a loader yields for that step.
    /// </summary>
    public static PretrainCrop CropForStep(PretrainDatasetSource source, int cropSize, ulong seed, long step, Func<string, Volume>? readVolume = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var volumes = new ReadableVolumeSet(source.Files, cropSize, readVolume ?? NiftiReader.ReadVolume, 0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        return MakeCrop(volumes, source.Files, cropSize, seed, step, CancellationToken.None);
    }

    /// <summary>The next step's crop, waiting for the background task when it is behind.</summary>
    /// <exception cref="PretrainDataException">No file is readable.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <exception cref="ObjectDisposedException">The loader was disposed.</exception>
    public async ValueTask<PretrainCrop> NextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        try
        {
            return await _channel.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // The producer only completes the channel on failure or shutdown; rethrow its own exception, with its stack.
            if (_failure is not null)
            {
                ExceptionDispatchInfo.Throw(_failure);
            }

            throw new ObjectDisposedException(nameof(PretrainCropLoader));
        }
    }

    /// <summary>Blocking form of <see cref="NextAsync"/> for synchronous training loops.</summary>
    public PretrainCrop Next(CancellationToken cancellationToken = default) =>
        NextAsync(cancellationToken).AsTask().GetAwaiter().GetResult();

    /// <summary>Stops the background task and waits for it to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        await _producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    /// <summary>Stops the background task and waits for it to end.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static PretrainCrop MakeCrop(ReadableVolumeSet volumes, IReadOnlyList<string> files, int cropSize, ulong seed, long step, CancellationToken cancellationToken)
    {
        var (index, volume) = volumes.Choose(new StepRandom(seed, step, RandomPurpose.VolumeChoice), cancellationToken);
        var voxels = RandomCrop.Crop(volume, cropSize, new StepRandom(seed, step, RandomPurpose.Crop), out var offset);
        return new PretrainCrop(step, files[index], voxels, cropSize) { Offset = offset };
    }

    private async Task ProduceAsync(long firstStep, CancellationToken cancellationToken)
    {
        var step = firstStep;
        try
        {
            var files = _volumes.Files;
            for (; ; step++)
            {
                var crop = MakeCrop(_volumes, files, _cropSize, _seed, step, cancellationToken);
                await _channel.Writer.WriteAsync(crop, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _channel.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            // Handed to the consumer through the channel's completion instead of dying unobserved on the thread pool.
            PretrainLoaderLog.Failed(_logger, ex, step);
            _failure = ex;
            _channel.Writer.TryComplete(ex);
        }
    }
}
