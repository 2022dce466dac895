using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

/// <summary>
/// The conspicuous lesion style: the same cases have lesions as in the subtle style, and theirs are darker, sizeable and
/// kept off the liver's edge (so they can be smaller in voxels than a subtle lesion that reaches the edge).
/// </summary>
public sealed class LesionStyleTests
{
    [Fact]
    public void Conspicuous_lesions_are_in_the_same_cases_sizeable_and_well_below_the_liver()
    {
        var seeds = Enumerable.Range(400, 24).ToList();
        Assert.Equal(
            seeds.Select(s => new LiverLesions(s, 0.5).Count > 0),
            seeds.Select(s => new LiverLesions(s, 0.5, LesionStyle.Conspicuous).Count > 0));

        var withLesions = seeds.Where(s => new LiverLesions(s, 0.5).Count > 0).Take(4).ToList();
        Assert.NotEmpty(withLesions);
        foreach (var seed in withLesions)
        {
            var conspicuous = PhantomGenerator.Generate(seed, 48, 0.5, LesionStyle.Conspicuous);
            var spacing = conspicuous.Labels.Geometry.Spacing;
            var lesionCm3 = conspicuous.Labels.Voxels.Count(v => v == PhantomLabels.LiverLesion) * spacing.X * spacing.Y * spacing.Z / 1000;

            // 20 cm³ is a ball of ~17 mm radius: about ten voxels of the whole-volume classifier's 13 mm grid.
            Assert.True(lesionCm3 >= 20, $"seed {seed}: {lesionCm3:F1} cm³ of conspicuous lesion");
            var lesionHu = Mean(conspicuous, PhantomLabels.LiverLesion);
            var liverHu = Mean(conspicuous, PhantomLabels.Liver);
            Assert.True(lesionHu < liverHu - 60, $"seed {seed}: lesion {lesionHu:F0} HU, liver {liverHu:F0} HU");
        }
    }

    [Theory]
    [InlineData(32)]
    [InlineData(48)]
    public void Conspicuous_lesions_keep_a_rim_of_liver_around_them(int size)
    {
        // Before the rim, lesions reached the liver's edge (where a dark lesion merges with the fat around the liver).
        var phantoms = Enumerable.Range(600, 24)
            .Where(s => new LiverLesions(s, 0.5, LesionStyle.Conspicuous).Count > 0)
            .Take(6)
            .Select(s => PhantomGenerator.Generate(s, size, 0.5, LesionStyle.Conspicuous))
            .ToList();
        Assert.NotEmpty(phantoms);
        foreach (var phantom in phantoms)
        {
            var labels = phantom.Labels.Voxels;
            var spacing = phantom.Labels.Geometry.Spacing;
            var lesion = Enumerable.Range(0, labels.Length).Where(n => labels[n] == PhantomLabels.LiverLesion).ToList();
            Assert.NotEmpty(lesion);
            var outside = Enumerable.Range(0, labels.Length)
                .Where(n => labels[n] is not (PhantomLabels.Liver or PhantomLabels.LiverLesion))
                .Select(n => Position(n, size, spacing))
                .ToList();
            var nearest = lesion.Min(n =>
            {
                var p = Position(n, size, spacing);
                return outside.Min(q => Math.Sqrt(((p.X - q.X) * (p.X - q.X)) + ((p.Y - q.Y) * (p.Y - q.Y)) + ((p.Z - q.Z) * (p.Z - q.Z))));
            });
            Assert.True(nearest > LiverLesions.ConspicuousRimMm - 1e-6, $"seed {phantom.Seed} at {size}³: a lesion voxel {nearest:F1} mm from outside the liver");
        }
    }

    private static (double X, double Y, double Z) Position(int n, int size, MiM.Bundles.Contracts.Imaging.Vector3D spacing) =>
        (n % size * spacing.X, n / size % size * spacing.Y, n / (size * size) * spacing.Z);

    private static double Mean(PhantomCase phantom, ushort label) =>
        phantom.Labels.Voxels.Select((v, n) => (v, n)).Where(p => p.v == label).Average(p => phantom.Image.Voxels[p.n]);
}
