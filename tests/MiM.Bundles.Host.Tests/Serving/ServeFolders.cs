using System.Text.Json;
using System.Text.Json.Nodes;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;
using MiM.Bundles.Dicom.Uids;
using MiM.Bundles.Host.Serving;

namespace MiM.Bundles.Host.Tests.Serving;

/// <summary>What a test reads back from `mim serve`'s folders and from a receiving peer's folder.</summary>
internal static class ServeFolders
{
    private const string SegmentationStorage = "1.2.840.10008.5.1.4.1.1.66.4";
    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);

    /// <summary>
    /// The complete DICOM-SEG files in <paramref name="folder"/>: dot-files, which some peers write while receiving, are
    /// left out, and so is a file that does not parse yet (storescp writes under the final name as the data arrives).
    /// </summary>
    public static List<string> Segmentations(string folder) =>
        [.. Directory.GetFiles(folder).Where(f => !Path.GetFileName(f).StartsWith('.') && SopClassOf(f) == SegmentationStorage)];

    private static string? SopClassOf(string file)
    {
        try
        {
            return DicomFile.Open(file, new DicomReadOptions { PixelData = PixelDataReading.StopBefore }).Dataset.GetUid(SopClassUid);
        }
        catch (Exception e) when (e is DicomException or IOException)
        {
            return null;
        }
    }

    /// <summary>The job records under <paramref name="data"/>/jobs.</summary>
    public static List<JsonNode> Jobs(string data)
    {
        var folder = Path.Combine(data, "jobs");
        if (!Directory.Exists(folder))
        {
            return [];
        }

        var jobs = new List<JsonNode>();
        foreach (var file in Directory.GetFiles(folder, "*.json").Where(f => !Path.GetFileName(f).StartsWith('.')))
        {
            try
            {
                jobs.Add(JsonNode.Parse(File.ReadAllText(file))!);
            }
            catch (Exception e) when (e is IOException or JsonException)
            {
                // Replaced atomically, but a rename between listing and reading can make it vanish: read again next time.
            }
        }

        return jobs;
    }

    /// <summary>The SOP Instance UID a job's result must carry: derived from series, bundle, version and generation.</summary>
    public static string ExpectedResultUid(JsonNode job)
    {
        var series = job["SeriesInstanceUid"]!.GetValue<string>();
        var bundle = job["BundleId"]!.GetValue<string>();
        var version = job["RanVersion"]!.GetValue<string>();
        var nonce = ResultWriter.Nonce(series, bundle, version, job["Generation"]!.GetValue<int>());
        return ResultUidGenerator.Create(series, bundle, version, nonce).SopInstanceUid;
    }
}
