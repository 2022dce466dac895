using MiM.Bundles.Imaging.Datasets;

namespace MiM.Bundles.Model.Tests.Training;

/// <summary>A small phantom data set on disk, made once for the training tests and removed afterwards.</summary>
public sealed class PhantomDataFixture : IDisposable
{
    public PhantomDataFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mim-train-data-" + Guid.NewGuid().ToString("N"));
        DatasetJson = PhantomDatasetWriter.Write(Folder, count: 4, size: 128, firstSeed: 100);
    }

    public string Folder { get; }

    public string DatasetJson { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
