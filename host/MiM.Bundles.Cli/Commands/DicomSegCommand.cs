using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.Segmentation;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Imaging.Nifti;

namespace MiM.Bundles.Cli.Commands;

/// <summary>
/// `mim dicom seg --source SERIES_DIR --labels LABELS.nii.gz --segments SEGMENTS.json --out SEG.dcm`: a label map to a
/// DICOM-SEG that references the source series (what dcmqi's itkimage2segimage does).
/// </summary>
internal static class DicomSegCommand
{
    private static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);

    public static Command Create()
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Folder (searched recursively) holding the CT series the labels were made on.", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "Label map as NIfTI (.nii or .nii.gz), integer labels 0..65535 (0 = background), on the series' voxels (any axis order).", Required = true };
        var segments = new Option<FileInfo>("--segments") { Description = "JSON naming each label with SNOMED CT category/type codes and a colour (see configs/segments/phantom-abdomen.json).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The DICOM-SEG file to write.", Required = true };
        var fractional = new Option<bool>("--fractional") { Description = "FRACTIONAL (8 bits per pixel, 0 or 255) instead of BINARY (1 bit per pixel, the default)." };
        var keepEmpty = new Option<bool>("--keep-empty-frames") { Description = "Write a frame for every segment on every slice, even where the segment is absent (dropped by default)." };
        var series = new Option<string?>("--series") { Description = "Series Instance UID of the source (default: the series with most files in SERIES_DIR)." };
        var algorithm = new Option<string?>("--algorithm") { Description = "Algorithm (bundle) name; overrides the segments file's \"algorithm.name\"." };
        var version = new Option<string?>("--algorithm-version") { Description = "Algorithm (bundle) version; overrides the segments file's \"algorithm.version\"." };
        var seriesNumber = new Option<int>("--series-number") { Description = "Series Number of the SEG's series.", DefaultValueFactory = _ => new DerivedObjectOptions().SeriesNumber };
        var description = new Option<string?>("--series-description") { Description = "Series Description (default: \"SEG <algorithm> <version>\")." };
        var command = new Command(
            "seg",
            "Write a label map as a DICOM Segmentation referencing every image of its source series, with the segments' SNOMED CT codes, colours and the algorithm's name and version.");
        foreach (var option in new Option[] { source, labels, segments, output, fractional, keepEmpty, series, algorithm, version, seriesNumber, description })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var clock = Stopwatch.StartNew();
            return CommandErrors.Run(() =>
            {
                var described = SegmentsFile.Read(parse.GetValue(segments)!.FullName);
                var name = parse.GetValue(algorithm) ?? described.AlgorithmName;
                var ver = parse.GetValue(version) ?? described.AlgorithmVersion;
                if (name is null || ver is null)
                {
                    Console.Error.WriteLine($"E: {parse.GetValue(segments)!.FullName}: no algorithm name and version; expected \"algorithm\": {{\"name\", \"version\"}} in the file or --algorithm and --algorithm-version");
                    return 2;
                }

                var scan = CtSeriesLoader.ScanFolder(parse.GetValue(source)!.FullName, new CtSeriesOptions { SeriesInstanceUid = parse.GetValue(series) });
                var labelMap = NiftiReader.ReadLabelMap(parse.GetValue(labels)!.FullName);
                var loadSeconds = clock.Elapsed.TotalSeconds;
                var options = new SegmentationOptions
                {
                    AlgorithmName = name,
                    AlgorithmVersion = ver,
                    Pixels = parse.GetValue(fractional) ? SegmentationPixels.Fractional : SegmentationPixels.Binary,
                    KeepEmptyFrames = parse.GetValue(keepEmpty),
                    SeriesNumber = parse.GetValue(seriesNumber),
                    SeriesDescription = parse.GetValue(description),
                };
                var file = SegmentationWriter.Create(labelMap, SourceSeries.FromScan(scan), described.Segments, options);
                var buildSeconds = clock.Elapsed.TotalSeconds - loadSeconds;
                var path = parse.GetValue(output)!.FullName;
                file.Save(path);
                var saveSeconds = clock.Elapsed.TotalSeconds - loadSeconds - buildSeconds;
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"wrote {path}: {file.Dataset.GetInt32(NumberOfFrames)} frames, {described.Segments.Count} segments, {(options.Pixels == SegmentationPixels.Binary ? "BINARY" : "FRACTIONAL")}, referencing {scan.Report.Slices.Count} images of series {scan.Report.SeriesInstanceUid}"));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"series headers and labels read in {loadSeconds:F2} s, SEG built in {buildSeconds:F2} s, saved in {saveSeconds:F2} s ({new FileInfo(path).Length} bytes)"));
                Console.WriteLine($"SOP Instance UID {file.Dataset.GetUid(DicomTag.SopInstanceUid)}");
                foreach (var issue in scan.Report.Issues)
                {
                    Console.Error.WriteLine($"W: {issue.Kind}: {(issue.FilePath is null ? string.Empty : issue.FilePath + ": ")}{issue.Message}");
                }

                return 0;
            });
        });
        return command;
    }
}
