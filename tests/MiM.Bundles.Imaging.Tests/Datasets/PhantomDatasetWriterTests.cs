using System.Text.Json;
using MiM.Bundles.Imaging.Datasets;
using MiM.Bundles.Imaging.Nifti;
using MiM.Bundles.Imaging.Phantoms;
using MiM.Bundles.Imaging.Tests.Nifti;

namespace MiM.Bundles.Imaging.Tests.Datasets;

public class PhantomDatasetWriterTests
{
    [Fact]
    public void With_lesions_every_entry_carries_a_lesion_flag_that_matches_its_label_map_and_the_flag_is_described()
    {
        using var folder = new TemporaryFolder();
        var path = PhantomDatasetWriter.Write(folder.Path, count: 4, size: 32, firstSeed: 70, lesionFraction: 0.5);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var root = json.RootElement;
        Assert.Equal(PhantomDatasetWriter.LesionMeaning, root.GetProperty("caseLabels").GetProperty("lesion").GetString());
        Assert.Equal("liver_lesion", root.GetProperty("labels").GetProperty("10").GetString());
        Assert.Equal("liver", root.GetProperty("labels").GetProperty("1").GetString());
        var flags = new List<int>();
        foreach (var entry in root.GetProperty("training").EnumerateArray())
        {
            var flag = entry.GetProperty("lesion").GetInt32();
            var labels = NiftiReader.ReadLabelMap(Path.Combine(folder.Path, entry.GetProperty("label").GetString()!));
            Assert.Equal(flag == 1, labels.Voxels.Contains(PhantomLabels.LiverLesion));
            flags.Add(flag);
        }

        Assert.Equal(
            Enumerable.Range(70, 4).Select(s => PhantomGenerator.Generate(s, 32, 0.5).HasLesion ? 1 : 0),
            flags);
    }

    [Fact]
    public void Without_lesions_the_dataset_json_has_no_lesion_fields_or_label()
    {
        using var folder = new TemporaryFolder();
        var path = PhantomDatasetWriter.Write(folder.Path, count: 1, size: 32, firstSeed: 70);

        using var json = JsonDocument.Parse(File.ReadAllText(path));
        Assert.False(json.RootElement.TryGetProperty("caseLabels", out _));
        Assert.False(json.RootElement.GetProperty("labels").TryGetProperty("10", out _));
        Assert.False(json.RootElement.GetProperty("training")[0].TryGetProperty("lesion", out _));
    }
}
