using System.Security.Cryptography;
using System.Text;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Network.Durability;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.StructuredReport;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Jobs;
using MiM.Bundles.Host.Running;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// Turns a job's result into DICOM: a Segmentation for a label map, a Comprehensive SR for class scores. The UIDs are
/// derived from (source series, bundle id, version that ran, assembler generation) and the content date from the job's
/// creation, so a re-run after a crash writes the same object and the receiving PACS stores it once. Files are written
/// to a temporary name, fsynced and renamed: never half a result.
/// </summary>
/// <param name="catalog">Where the segment descriptions of the version that ran come from.</param>
/// <param name="paths">The results folder.</param>
public sealed class ResultWriter(BundleCatalog catalog, ServePaths paths)
{
    private static readonly Dicom.Core.DicomTag SopInstanceUidTag = new(0x0008, 0x0018);

    /// <summary>Writes the result of <paramref name="job"/> and returns (path, SOP Instance UID).</summary>
    /// <exception cref="InvalidOperationException">The result has neither labels nor classes, or the bundle's segments are unknown.</exception>
    public (string Path, string SopInstanceUid) Write(JobRecord job, JobResult result, CtSeries series)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(series);
        var nonce = Nonce(job.SeriesInstanceUid, job.BundleId, result.BundleVersion, job.Generation);
        var source = SourceSeries.FromLoad(series);
        var name = NameOf(job.BundleId, result.BundleVersion);
        DicomFile file;
        if (result.Labels is { } labels)
        {
            var segments = SegmentsOf(job.BundleId, result.BundleVersion)
                ?? throw new InvalidOperationException($"{job.BundleId} {result.BundleVersion} no longer describes its segments");
            file = SegmentationWriter.Create(labels, source, segments, new SegmentationOptions
            {
                AlgorithmName = job.BundleId,
                AlgorithmVersion = result.BundleVersion,
                SeriesDescription = Truncate($"{name} {result.BundleVersion}"),
                Nonce = nonce,
                CreatedAt = job.Created,
            });
        }
        else if (result.Classification is { } classification)
        {
            file = ClassificationReportWriter.Create(
                classification with { ModelName = job.BundleId, ModelVersion = result.BundleVersion },
                source,
                new DerivedObjectOptions { SeriesDescription = Truncate($"{name} {result.BundleVersion}"), Nonce = nonce, CreatedAt = job.Created });
        }
        else
        {
            throw new InvalidOperationException($"{job.BundleId} {result.BundleVersion} returned neither a label map nor classes");
        }

        var uid = file.Dataset.GetUid(SopInstanceUidTag)!;
        var folder = Path.Combine(paths.Results, job.Id);
        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, uid + ".dcm");
        var temporary = Path.Combine(folder, "." + uid + ".tmp");
        file.Save(temporary);
        DirectorySync.FlushFile(temporary);
        File.Move(temporary, target, overwrite: true);
        DirectorySync.Flush(folder);
        return (target, uid);
    }

    /// <summary>The nonce behind a result's UIDs: the same inputs give the same UIDs.</summary>
    public static Guid Nonce(string seriesInstanceUid, string bundleId, string bundleVersion, int generation)
    {
        var text = $"{seriesInstanceUid.Length}:{seriesInstanceUid};{bundleId.Length}:{bundleId};{bundleVersion.Length}:{bundleVersion};{generation}";
        return new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16));
    }

    private IReadOnlyList<SegmentDescription>? SegmentsOf(string id, string version)
    {
        var ran = catalog.Versions.FirstOrDefault(v => v.Id == id && v.Version?.ToString() == version && v.Bundle is ISegmentationBundle);
        return (ran?.Bundle as ISegmentationBundle ?? catalog.Serving(id)?.Bundle as ISegmentationBundle)?.Segments;
    }

    private string NameOf(string id, string version) =>
        catalog.Versions.FirstOrDefault(v => v.Id == id && v.Version?.ToString() == version)?.Metadata?.Name ?? id;

    // Series Description is LO: 64 characters.
    private static string Truncate(string text) => text.Length <= 64 ? text : text[..64];
}
