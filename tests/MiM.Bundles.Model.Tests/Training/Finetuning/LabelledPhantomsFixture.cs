using MiM.Bundles.Imaging.Datasets;

namespace MiM.Bundles.Model.Tests.Training.Finetuning;

/// <summary>Six labelled 48³ phantoms (seeds 300..305) in MSD layout: the fine-tuning recipes train on 4 and hold out the last.</summary>
public sealed class LabelledPhantomsFixture : IDisposable
{
    public LabelledPhantomsFixture()
    {
        Folder = Path.Combine(Path.GetTempPath(), "mim-finetune-data-" + Guid.NewGuid().ToString("N"));
        DatasetJson = PhantomDatasetWriter.Write(Folder, count: 6, size: 48, firstSeed: 300);
    }

    public string Folder { get; }

    public string DatasetJson { get; }

    public void Dispose() => Directory.Delete(Folder, recursive: true);
}
