using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Datasets;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Model.Data;
using MiM.Bundles.Model.Randomness;

namespace MiM.Bundles.Model.Tests.Data;

public sealed class PretrainCropLoaderTests : IClassFixture<PhantomFilesFixture>, IDisposable
{
    private const int CropSize = 36;
    private const ulong Seed = 2024;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly PhantomFilesFixture _phantoms;
    private readonly TempFolder _temp = new();

    public PretrainCropLoaderTests(PhantomFilesFixture phantoms)
    {
        _phantoms = phantoms;
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Crop_sequence_does_not_depend_on_prefetch_depth_or_cache()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);

        var shallow = await TakeAsync(source, firstStep: 0, count: 12, prefetch: 1);
        var deep = await TakeAsync(source, firstStep: 0, count: 12, prefetch: 8, cacheBytes: 0);

        AssertSameCrops(shallow, deep);
        Assert.Equal(Enumerable.Range(0, 12).Select(s => (long)s), shallow.Select(c => c.Step));
    }

    [Fact]
    public async Task Resumed_loader_yields_exactly_what_the_uninterrupted_one_yields_from_that_step()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);

        var uninterrupted = await TakeAsync(source, firstStep: 0, count: 12, prefetch: 4);
        var resumed = await TakeAsync(source, firstStep: 7, count: 5, prefetch: 4);

        AssertSameCrops(uninterrupted.Skip(7).ToList(), resumed);
        AssertSameCrops([uninterrupted[9]], [PretrainCropLoader.CropForStep(source, CropSize, Seed, 9)]);
    }

    [Fact]
    public async Task Step_choices_come_from_the_volume_choice_and_crop_streams()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);

        var crops = await TakeAsync(source, firstStep: 0, count: 6, prefetch: 2);

        foreach (var crop in crops)
        {
            var file = source.Files[new StepRandom(Seed, crop.Step, RandomPurpose.VolumeChoice).NextInt(source.Files.Count)];
            Assert.Equal(file, crop.SourcePath);
            var prepared = CtPreprocessor.Prepare(NiftiReader.ReadVolume(file), CropSize);
            var expected = RandomCrop.Crop(prepared, CropSize, new StepRandom(Seed, crop.Step, RandomPurpose.Crop), out var offset);
            Assert.Equal(offset, crop.Offset);
            Assert.Equal(expected, crop.Voxels);
        }

        // The 32³ phantom is padded to 36³, so any crop of it has offset 0 and a padded border of zeros.
        Assert.All(crops.Where(c => c.SourcePath == _phantoms.Files[0]), c => Assert.Equal((0, 0, 0), c.Offset));
    }

    [Fact]
    public async Task Cache_keeps_prepared_volumes_so_each_file_is_decoded_once()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);

        await using var cached = new PretrainCropLoader(source, CropSize, Seed, 0, 2, NullLogger.Instance);
        await using var uncached = new PretrainCropLoader(source, CropSize, Seed, 0, 2, NullLogger.Instance, cacheBytes: 0);
        for (var step = 0; step < 15; step++)
        {
            await cached.NextAsync().AsTask().WaitAsync(Patience);
            await uncached.NextAsync().AsTask().WaitAsync(Patience);
        }

        Assert.InRange(cached.VolumesPrepared, 1, source.Files.Count);
        // Without a cache every produced crop decodes a file: the 15 consumed, up to 2 waiting in the queue and 1 being made.
        Assert.InRange(uncached.VolumesPrepared, 15, 15 + 2 + 1);
    }

    [Fact]
    public async Task Unreadable_files_are_skipped_once_with_their_reasons_and_the_rest_still_produce_crops()
    {
        var truncated = TestVolumes.WriteTruncated(_temp.Path, "truncated.nii.gz");
        var text = _temp.File("text.nii", "this is not an image");
        var missing = Path.Combine(_temp.Path, "missing.nii.gz");
        var source = PretrainDatasetSource.FromFiles([.. _phantoms.Files, truncated, text, missing]);
        var reads = new ConcurrentDictionary<string, int>();
        Volume CountingRead(string path)
        {
            reads.AddOrUpdate(path, 1, (_, n) => n + 1);
            return NiftiReader.ReadVolume(path);
        }

        await using var loader = new PretrainCropLoader(source, CropSize, Seed, 0, 2, NullLogger.Instance, cacheBytes: 0, readVolume: CountingRead);
        var crops = new List<PretrainCrop>();
        for (var step = 0; step < 40; step++)
        {
            crops.Add(await loader.NextAsync().AsTask().WaitAsync(Patience));
        }

        Assert.Equal(3, loader.SkippedCount);
        Assert.Equal([missing, text, truncated], loader.SkippedFiles.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("truncated", loader.SkippedFiles[truncated], StringComparison.OrdinalIgnoreCase);
        Assert.All([truncated, text, missing], bad => Assert.Equal(1, reads[bad]));
        Assert.All(crops, c => Assert.Contains(c.SourcePath, _phantoms.Files));

        // Skipping keeps the sequence a function of (seed, step, readable files): a resumed loader agrees.
        var resumed = await TakeAsync(source, firstStep: 30, count: 10, prefetch: 1);
        AssertSameCrops(crops.Skip(30).ToList(), resumed);
    }

    [Fact]
    public async Task All_unreadable_files_fail_with_a_clear_error_listing_the_reasons()
    {
        var text = _temp.File("a.nii", "not an image");
        var truncated = TestVolumes.WriteTruncated(_temp.Path, "b.nii.gz");
        var source = PretrainDatasetSource.Open(_temp.Path);

        await using var loader = new PretrainCropLoader(source, CropSize, Seed, 0, 2, NullLogger.Instance);
        var error = await Assert.ThrowsAsync<PretrainDataException>(() => loader.NextAsync().AsTask().WaitAsync(Patience));

        Assert.Contains("None of the 2", error.Message, StringComparison.Ordinal);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        Assert.Contains(truncated, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unexpected_producer_failure_surfaces_to_the_consumer()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);

        await using var loader = new PretrainCropLoader(
            source, CropSize, Seed, 0, 2, NullLogger.Instance, readVolume: _ => throw new InvalidOperationException("reader bug"));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => loader.NextAsync().AsTask().WaitAsync(Patience));

        Assert.Equal("reader bug", error.Message);
    }

    [Fact]
    public async Task Dispose_stops_the_background_task_while_it_waits_on_a_full_queue()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);
        var reads = 0;
        var loader = new PretrainCropLoader(source, CropSize, Seed, 0, 1, NullLogger.Instance, readVolume: path =>
        {
            Interlocked.Increment(ref reads);
            return NiftiReader.ReadVolume(path);
        });
        await loader.NextAsync().AsTask().WaitAsync(Patience);

        await loader.DisposeAsync().AsTask().WaitAsync(Patience);
        var readsAtDispose = Volatile.Read(ref reads);
        await Task.Delay(200);

        Assert.Equal(readsAtDispose, Volatile.Read(ref reads));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => loader.NextAsync().AsTask());
    }

    [Fact]
    public async Task Cancelled_wait_throws_operation_cancelled()
    {
        var source = PretrainDatasetSource.FromFiles(_phantoms.Files);
        using var gate = new ManualResetEventSlim();
        await using var loader = new PretrainCropLoader(source, CropSize, Seed, 0, 1, NullLogger.Instance, readVolume: path =>
        {
            gate.Wait(Patience);
            return NiftiReader.ReadVolume(path);
        });
        using var cancel = new CancellationTokenSource();

        var next = loader.NextAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Patience));
        gate.Set();
    }

    [Fact]
    public async Task Dataset_json_written_by_the_phantom_command_feeds_the_loader()
    {
        var json = PhantomDatasetWriter.Write(_temp.Path, count: 2, size: 32, firstSeed: 10);
        var source = PretrainDatasetSource.Open(json);

        var crops = await TakeAsync(source, firstStep: 0, count: 4, prefetch: 2);

        Assert.Equal(2, source.Files.Count);
        Assert.All(source.Files, f => Assert.True(File.Exists(f), f));
        Assert.All(crops, c => Assert.Equal(CropSize * CropSize * CropSize, c.Voxels.Length));
        Assert.All(crops, c => Assert.All(c.Voxels, v => Assert.InRange(v, 0f, 1f)));
    }

    [Fact]
    public void Tensor_is_indexed_i_j_k_like_monai()
    {
        var voxels = Enumerable.Range(0, 64).Select(n => (float)n).ToArray();
        var crop = new PretrainCrop(0, "x", voxels, 4);

        using var tensor = crop.ToTensor();

        Assert.Equal([1L, 1, 4, 4, 4], tensor.shape);
        Assert.Equal(1 + (4 * (2 + (4 * 3))), tensor[0, 0, 1, 2, 3].item<float>());
    }

    private static async Task<List<PretrainCrop>> TakeAsync(
        PretrainDatasetSource source, long firstStep, int count, int prefetch, long cacheBytes = PretrainCropLoader.DefaultCacheBytes)
    {
        await using var loader = new PretrainCropLoader(source, CropSize, Seed, firstStep, prefetch, NullLogger.Instance, cacheBytes);
        var crops = new List<PretrainCrop>();
        for (var n = 0; n < count; n++)
        {
            crops.Add(await loader.NextAsync().AsTask().WaitAsync(Patience));
        }

        return crops;
    }

    private static void AssertSameCrops(List<PretrainCrop> expected, List<PretrainCrop> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var n = 0; n < expected.Count; n++)
        {
            Assert.Equal(expected[n].Step, actual[n].Step);
            Assert.Equal(expected[n].SourcePath, actual[n].SourcePath);
            Assert.Equal(expected[n].Offset, actual[n].Offset);
            Assert.Equal(expected[n].Voxels, actual[n].Voxels);
        }
    }
}
