using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

/// <summary>The conspicuous lesion style: the same cases have lesions as in the subtle style, and theirs are larger and darker.</summary>
public sealed class LesionStyleTests
{
    [Fact]
    public void Conspicuous_lesions_are_in_the_same_cases_larger_and_well_below_the_liver()
    {
        var seeds = Enumerable.Range(400, 24).ToList();
        Assert.Equal(
            seeds.Select(s => new LiverLesions(s, 0.5).Count > 0),
            seeds.Select(s => new LiverLesions(s, 0.5, LesionStyle.Conspicuous).Count > 0));

        var withLesions = seeds.Where(s => new LiverLesions(s, 0.5).Count > 0).Take(4).ToList();
        Assert.NotEmpty(withLesions);
        foreach (var seed in withLesions)
        {
            var subtle = PhantomGenerator.Generate(seed, 48, 0.5, LesionStyle.Subtle);
            var conspicuous = PhantomGenerator.Generate(seed, 48, 0.5, LesionStyle.Conspicuous);
            var lesionVoxels = conspicuous.Labels.Voxels.Count(v => v == PhantomLabels.LiverLesion);
            Assert.True(lesionVoxels > subtle.Labels.Voxels.Count(v => v == PhantomLabels.LiverLesion) / 2, $"seed {seed}: {lesionVoxels} conspicuous lesion voxels");
            var lesionHu = Mean(conspicuous, PhantomLabels.LiverLesion);
            var liverHu = Mean(conspicuous, PhantomLabels.Liver);
            Assert.True(lesionHu < liverHu - 60, $"seed {seed}: lesion {lesionHu:F0} HU, liver {liverHu:F0} HU");
        }
    }

    private static double Mean(PhantomCase phantom, ushort label) =>
        phantom.Labels.Voxels.Select((v, n) => (v, n)).Where(p => p.v == label).Average(p => phantom.Image.Voxels[p.n]);
}
