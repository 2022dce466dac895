using System.Text.Json;
using MiM.Bundles.Imaging.Datasets;

namespace MiM.Bundles.Model.Tests.Training.Classification;

/// <summary>
/// Ten 32³ phantoms (seeds 500..509), half of them (seeded) with liver lesions and a "lesion" flag per dataset.json entry:
/// the classification tests train on the first six and hold out the last four.
/// </summary>
public sealed class ClassifiedPhantomsFixture : IDisposable
{
    public ClassifiedPhantomsFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mim-classify-data-" + Guid.NewGuid().ToString("N"));
        DatasetJson = PhantomDatasetWriter.Write(Folder, count: 10, size: 32, firstSeed: 500, lesionFraction: 0.5);
        using var json = JsonDocument.Parse(File.ReadAllText(DatasetJson));
        Flags = [.. json.RootElement.GetProperty("training").EnumerateArray().Select(e => e.GetProperty("lesion").GetInt32())];
    }

    public string Folder { get; }

    public string DatasetJson { get; }

    /// <summary>The lesion flag of each case, in dataset.json order.</summary>
    public IReadOnlyList<int> Flags { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
