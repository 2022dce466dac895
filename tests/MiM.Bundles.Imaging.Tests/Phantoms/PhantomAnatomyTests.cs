using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

public class PhantomAnatomyTests(PhantomCasesFixture fixture) : IClassFixture<PhantomCasesFixture>
{
    [Fact]
    public void Every_case_holds_exactly_the_values_zero_to_nine()
    {
        Assert.All(fixture.Cases, c =>
            Assert.Equal(Enumerable.Range(0, 10).Select(v => (ushort)v), c.Labels.CountVoxels().Keys.Order()));
    }

    [Fact]
    public void Organ_volumes_lie_in_adult_ranges()
    {
        Assert.All(fixture.Cases, c =>
        {
            Assert.InRange(PhantomMeasure.VolumeMl(c.Labels, PhantomLabels.Liver), 900, 2600);
            Assert.InRange(PhantomMeasure.VolumeMl(c.Labels, PhantomLabels.Spleen), 80, 500);
            Assert.InRange(PhantomMeasure.VolumeMl(c.Labels, PhantomLabels.KidneyRight), 80, 300);
            Assert.InRange(PhantomMeasure.VolumeMl(c.Labels, PhantomLabels.KidneyLeft), 80, 300);
        });
    }

    [Fact]
    public void The_aorta_is_a_tube_along_z_of_adult_calibre()
    {
        Assert.All(fixture.Cases, c =>
        {
            var extent = PhantomMeasure.Extent(c.Labels, PhantomLabels.Aorta);
            Assert.True(extent.Z > 3 * Math.Max(extent.X, extent.Y), $"seed {c.Seed}: aorta extent {extent}");

            // Cross-sectional area per slice gives the mean diameter.
            var slices = extent.Z / c.Labels.Geometry.Spacing.Z;
            var area = PhantomMeasure.VolumeMl(c.Labels, PhantomLabels.Aorta) * 1000 / extent.Z;
            var diameter = 2 * Math.Sqrt(area / Math.PI);
            Assert.True(slices > 10);
            Assert.InRange(diameter, 15, 30);
        });
    }

    [Fact]
    public void Organs_lie_on_their_anatomical_sides_in_lps()
    {
        Assert.All(fixture.Cases, c =>
        {
            var bodyX = BodyCentreX(c);
            var liver = PhantomMeasure.Centroid(c.Labels, PhantomLabels.Liver);
            var spleen = PhantomMeasure.Centroid(c.Labels, PhantomLabels.Spleen);
            var kidneyRight = PhantomMeasure.Centroid(c.Labels, PhantomLabels.KidneyRight);
            var kidneyLeft = PhantomMeasure.Centroid(c.Labels, PhantomLabels.KidneyLeft);
            var lungRight = PhantomMeasure.Centroid(c.Labels, PhantomLabels.LungRight);
            var lungLeft = PhantomMeasure.Centroid(c.Labels, PhantomLabels.LungLeft);
            var spine = PhantomMeasure.Centroid(c.Labels, PhantomLabels.Spine);

            // Patient's right is -x in LPS.
            Assert.True(liver.X < bodyX, $"seed {c.Seed}: liver not on the right");
            Assert.True(spleen.X > bodyX, $"seed {c.Seed}: spleen not on the left");
            Assert.True(kidneyRight.X < bodyX && kidneyLeft.X > bodyX, $"seed {c.Seed}: kidneys on the wrong sides");
            Assert.True(lungRight.X < bodyX && lungLeft.X > bodyX, $"seed {c.Seed}: lungs on the wrong sides");

            // +y is posterior, +z superior.
            Assert.True(kidneyRight.Y > liver.Y && kidneyLeft.Y > liver.Y, $"seed {c.Seed}: kidneys not posterior of the liver");
            Assert.True(spleen.Y > liver.Y, $"seed {c.Seed}: spleen not posterior of the liver");
            Assert.True(spine.Y > liver.Y, $"seed {c.Seed}: spine not posterior of the liver");
            Assert.True(lungRight.Z > liver.Z && lungLeft.Z > liver.Z, $"seed {c.Seed}: lungs not above the liver");
            Assert.True(kidneyRight.Z < kidneyLeft.Z, $"seed {c.Seed}: right kidney not lower than the left");
        });
    }

    [Fact]
    public void Median_hu_inside_each_organ_lies_in_its_tissue_range_for_the_contrast_phase()
    {
        Assert.All(fixture.Cases, c =>
        {
            var enhanced = new TissueModel(c.Seed).Phase == ContrastPhase.PortalVenous;
            AssertMedian(c, PhantomLabels.Liver, enhanced ? (85, 135) : (45, 75));
            AssertMedian(c, PhantomLabels.Spleen, enhanced ? (95, 150) : (35, 60));
            AssertMedian(c, PhantomLabels.KidneyRight, enhanced ? (110, 175) : (20, 45));
            AssertMedian(c, PhantomLabels.KidneyLeft, enhanced ? (110, 175) : (20, 45));
            AssertMedian(c, PhantomLabels.Aorta, enhanced ? (140, 260) : (25, 55));
            AssertMedian(c, PhantomLabels.LungRight, (-910, -790));
            AssertMedian(c, PhantomLabels.LungLeft, (-910, -790));
            AssertMedian(c, PhantomLabels.Spine, (150, 700));

            // Ribs are too thin to erode; their blurred median still reads as bone.
            Assert.InRange(PhantomMeasure.Median(c.Image, c.Labels, PhantomLabels.Ribs), 150, 800);
        });
    }

    [Fact]
    public void Both_contrast_phases_occur_across_seeds()
    {
        var phases = Enumerable.Range(0, 20).Select(seed => new TissueModel(seed).Phase).Distinct().Count();
        Assert.Equal(2, phases);
    }

    [Fact]
    public void Air_outside_the_body_is_minus_1000_and_the_body_holds_fat_and_muscle()
    {
        Assert.All(fixture.Cases, c =>
        {
            var size = c.Image.Size;
            var edge = new List<float>();
            long body = 0, fat = 0, muscle = 0;
            PhantomMeasure.Visit(size, (i, j, k, n) =>
            {
                var hu = c.Image.Voxels[n];
                if (i == 0 || j == 0 || i == size.I - 1 || j == size.J - 1)
                {
                    edge.Add(hu);
                }

                if (c.Labels.Voxels[n] == 0 && hu > -500)
                {
                    body++;
                    fat += hu is > -150 and < -50 ? 1 : 0;
                    muscle += hu is > 20 and < 70 ? 1 : 0;
                }
            });
            edge.Sort();
            Assert.InRange(edge[edge.Count / 2], -1015, -985);
            Assert.All(c.Image.Voxels, v => Assert.InRange(v, -1024, 3071));
            Assert.True(fat > 0.1 * body, $"seed {c.Seed}: fat is {fat} of {body} unlabelled body voxels");
            Assert.True(muscle > 0.1 * body, $"seed {c.Seed}: muscle is {muscle} of {body} unlabelled body voxels");
        });
    }

    private static void AssertMedian(PhantomCase c, ushort label, (double Min, double Max) range)
    {
        var median = PhantomMeasure.ErodedMedian(c.Image, c.Labels, label);
        Assert.True(median >= range.Min && median <= range.Max, $"seed {c.Seed}, label {label}: median {median:F0} HU outside {range}");
    }

    private static double BodyCentreX(PhantomCase c)
    {
        double sum = 0;
        long count = 0;
        PhantomMeasure.Visit(c.Image.Size, (i, j, k, n) =>
        {
            if (c.Image.Voxels[n] > -500)
            {
                sum += c.Image.Geometry.IndexToPhysical(i, j, k).X;
                count++;
            }
        });
        return sum / count;
    }
}
