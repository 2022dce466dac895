using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text.Json;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Network.Durability;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Shadow;

/// <summary>
/// The serving result a shadow job is compared with, kept on disk beside the serving job's SEG or SR
/// (<c>results/&lt;serving job&gt;/shadow-reference.bin</c>) from before the serving result is handed on until the shadow
/// job has ended. A shadow job that a stop or crash interrupted runs again alone at the next start; this file is what it
/// compares with then. Retention removes it with the serving job's results folder.
/// </summary>
/// <remarks>
/// Gzip over: a 4-byte little-endian header length, the header as UTF-8 JSON (version, geometry, classes), then the
/// label voxels as little-endian 16-bit values. The label map could be read back from the SEG, but a SEG drops empty
/// frames and names segments by number: this keeps exactly what the comparison needs, in one small file.
/// </remarks>
public sealed class ShadowReference(string resultsFolder)
{
    /// <summary>The file name inside the serving job's results folder.</summary>
    public const string FileName = "shadow-reference.bin";

    private const int Format = 1;
    private const int MaxHeaderBytes = 1 << 20;

    /// <summary>Where the reference of <paramref name="servingJobId"/> lives.</summary>
    public string PathOf(string servingJobId) => Path.Combine(resultsFolder, servingJobId, FileName);

    /// <summary>Writes <paramref name="serving"/> (a succeeded segmentation or classification) durably.</summary>
    /// <exception cref="ArgumentException">The result has neither labels nor classes.</exception>
    public void Save(string servingJobId, JobResult serving)
    {
        ArgumentException.ThrowIfNullOrEmpty(servingJobId);
        ArgumentNullException.ThrowIfNull(serving);
        if (serving.Labels is null && serving.Classification is null)
        {
            throw new ArgumentException("only a label map or classes can be kept for a shadow comparison", nameof(serving));
        }

        var header = new Header(Format, serving.BundleId, serving.BundleVersion, serving.Labels?.Geometry, serving.Classification is { } c ? Classes.From(c) : null);
        var path = PathOf(servingJobId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.Write(path, file =>
        {
            using var gzip = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
            var json = JsonSerializer.SerializeToUtf8Bytes(header);
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(length, json.Length);
            gzip.Write(length);
            gzip.Write(json);
            if (serving.Labels is { } labels)
            {
                WriteLittleEndian(gzip, labels.Voxels);
            }
        });
    }

    /// <summary>The kept result of <paramref name="servingJobId"/>, or null when none was kept.</summary>
    /// <exception cref="InvalidDataException">The file is there but cannot be read back (names the file and what is wrong).</exception>
    public JobResult? Load(string servingJobId)
    {
        var path = PathOf(servingJobId);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return Read(path);
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or InvalidDataException or NotSupportedException)
        {
            throw new InvalidDataException($"{path}: cannot be read back ({e.Message})", e);
        }
    }

    /// <summary>Removes the reference of <paramref name="servingJobId"/> once its shadow job has ended (none kept: nothing to do).</summary>
    public void Delete(string servingJobId)
    {
        var path = PathOf(servingJobId);
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static JobResult Read(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        Span<byte> length = stackalloc byte[4];
        gzip.ReadExactly(length);
        var size = BinaryPrimitives.ReadInt32LittleEndian(length);
        if (size is <= 0 or > MaxHeaderBytes)
        {
            throw new InvalidDataException($"a header of {size} bytes (at most {MaxHeaderBytes})");
        }

        var json = new byte[size];
        gzip.ReadExactly(json);
        var header = JsonSerializer.Deserialize<Header>(json) ?? throw new InvalidDataException("the header is null");
        if (header.Format != Format)
        {
            throw new InvalidDataException($"format {header.Format}, this host reads format {Format}");
        }

        LabelMap? labels = null;
        if (header.Geometry is { } geometry)
        {
            var voxels = new ushort[geometry.Size.VoxelCount];
            ReadLittleEndian(gzip, voxels);
            labels = new LabelMap(geometry, voxels);
        }

        return new JobResult(header.BundleId, header.BundleVersion, JobStatus.Succeeded, labels, header.Classes?.ToResult());
    }

    private static void WriteLittleEndian(Stream stream, ushort[] voxels)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("shadow references are written on little-endian hosts only");
        }

        stream.Write(MemoryMarshal.AsBytes(voxels.AsSpan()));
    }

    private static void ReadLittleEndian(Stream stream, ushort[] voxels)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("shadow references are read on little-endian hosts only");
        }

        stream.ReadExactly(MemoryMarshal.AsBytes(voxels.AsSpan()));
    }

    private sealed record Header(int Format, string BundleId, string BundleVersion, VolumeGeometry? Geometry, Classes? Classes);

    /// <summary>Class probabilities without <see cref="ClassificationResult.MostLikely"/>, which a serializer would call.</summary>
    private sealed record Classes(string ModelName, string ModelVersion, IReadOnlyList<ClassProbability> Probabilities)
    {
        public static Classes From(ClassificationResult result) => new(result.ModelName, result.ModelVersion, result.Probabilities);

        public ClassificationResult ToResult() => new(ModelName, ModelVersion, Probabilities);
    }
}
