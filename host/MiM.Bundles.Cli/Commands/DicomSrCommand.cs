using System.CommandLine;
using MiM.Bundles.Cli.Configuration;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Derived;
using MiM.Bundles.Dicom.Series;
using MiM.Bundles.Dicom.StructuredReport;

namespace MiM.Bundles.Cli.Commands;

/// <summary>`mim dicom sr --source SERIES_DIR --result RESULT.json --out SR.dcm`: a classification result as a Comprehensive SR referencing its series.</summary>
internal static class DicomSrCommand
{
    public static Command Create()
    {
        var source = new Option<DirectoryInfo>("--source") { Description = "Folder (searched recursively) holding the CT series that was classified.", Required = true };
        var result = new Option<FileInfo>("--result") { Description = "JSON with the model's name and version and each class's code and probability (see configs/results/phantom-classification.json).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The SR file to write.", Required = true };
        var series = new Option<string?>("--series") { Description = "Series Instance UID of the source (default: the series with most files in SERIES_DIR)." };
        var seriesNumber = new Option<int>("--series-number") { Description = "Series Number of the SR's series.", DefaultValueFactory = _ => new DerivedObjectOptions().SeriesNumber };
        var command = new Command(
            "sr",
            "Write a classification result as a Comprehensive SR: each class (coded) with its probability, the model's name and version, and a reference to every image of the source series.");
        foreach (var option in new Option[] { source, result, output, series, seriesNumber })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            return CommandErrors.Run(() =>
            {
                var classification = ClassificationFile.Read(parse.GetValue(result)!.FullName);
                var scan = CtSeriesLoader.ScanFolder(parse.GetValue(source)!.FullName, new CtSeriesOptions { SeriesInstanceUid = parse.GetValue(series) });
                var file = ClassificationReportWriter.Create(classification, SourceSeries.FromScan(scan), new DerivedObjectOptions { SeriesNumber = parse.GetValue(seriesNumber) });
                var path = parse.GetValue(output)!.FullName;
                file.Save(path);
                var top = classification.MostLikely;
                Console.WriteLine($"wrote {path}: {classification.Probabilities.Count} classes (most likely {top.Class.CodeMeaning}, {top.Probability:0.###}) by {classification.ModelName} {classification.ModelVersion}, referencing {scan.Report.Slices.Count} images of series {scan.Report.SeriesInstanceUid}");
                Console.WriteLine($"SOP Instance UID {file.Dataset.GetUid(DicomTag.SopInstanceUid)}");
                return 0;
            });
        });
        return command;
    }
}
