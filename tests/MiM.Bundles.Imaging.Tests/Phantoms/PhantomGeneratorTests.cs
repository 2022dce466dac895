using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

public class PhantomGeneratorTests(PhantomCasesFixture fixture) : IClassFixture<PhantomCasesFixture>
{
    [Fact]
    public void The_same_seed_gives_bit_identical_voxels_and_labels_on_one_thread_or_many()
    {
        var many = PhantomGenerator.Generate(11, 48);
        var one = PhantomGenerator.Generate(11, 48, maxDegreeOfParallelism: 1);
        Assert.Equal(many.Image.Geometry, one.Image.Geometry);
        Assert.True(many.Image.Voxels.AsSpan().SequenceEqual(one.Image.Voxels), "image voxels differ");
        Assert.True(many.Labels.Voxels.AsSpan().SequenceEqual(one.Labels.Voxels), "label voxels differ");
        Assert.Equal(11, many.Seed);
    }

    [Fact]
    public void Different_seeds_give_different_liver_shapes()
    {
        var cases = fixture.Cases;
        for (var a = 0; a < cases.Count; a++)
        {
            for (var b = a + 1; b < cases.Count; b++)
            {
                var dice = PhantomMeasure.Dice(cases[a].Labels, cases[b].Labels, PhantomLabels.Liver);
                Assert.True(dice < 0.95, $"seeds {cases[a].Seed} and {cases[b].Seed}: liver Dice {dice:F3}");
                Assert.False(cases[a].Image.Voxels.AsSpan().SequenceEqual(cases[b].Image.Voxels));
            }
        }
    }

    [Fact]
    public void Spacing_varies_between_seeds_within_ct_like_ranges_scaled_to_the_grid()
    {
        var spacings = fixture.Cases.Select(c => c.Image.Geometry.Spacing).ToList();
        Assert.Equal(spacings.Count, spacings.Distinct().Count());
        var scale = 128.0 / PhantomCasesFixture.Size;
        Assert.All(spacings, s =>
        {
            Assert.Equal(s.X, s.Y);
            Assert.InRange(s.X / scale, 2.4, 3.2);
            Assert.InRange(s.Z / scale, 2.5, 3.5);
        });
        Assert.Equal(fixture.Cases.Count, fixture.Cases.Select(c => c.Image.Geometry.Origin).Distinct().Count());
    }

    [Fact]
    public void Geometry_is_an_axial_cube_shared_by_image_and_labels_with_a_seeded_frame_of_reference()
    {
        Assert.All(fixture.Cases, c =>
        {
            var g = c.Image.Geometry;
            Assert.Equal(new GridSize(PhantomCasesFixture.Size, PhantomCasesFixture.Size, PhantomCasesFixture.Size), g.Size);
            Assert.Equal(Direction3D.Identity, g.Direction);
            Assert.True(g.IsSameGrid(c.Labels.Geometry));
            Assert.Matches("^2\\.25\\.[1-9][0-9]*$", g.FrameOfReferenceUid);
            Assert.True(g.FrameOfReferenceUid!.Length <= 64);
        });
        Assert.Equal(fixture.Cases.Count, fixture.Cases.Select(c => c.Image.Geometry.FrameOfReferenceUid).Distinct().Count());
    }

    [Fact]
    public void A_smaller_grid_covers_the_same_field_of_view_with_coarser_voxels()
    {
        var small = PhantomFrame.Sample(4, 64).Geometry;
        var large = PhantomFrame.Sample(4, 128).Geometry;
        Assert.Equal(large.Spacing.X * 128, small.Spacing.X * 64, 6);
        Assert.Equal(large.Spacing.Z * 128, small.Spacing.Z * 64, 6);
    }

    [Fact]
    public void Grids_smaller_than_the_minimum_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PhantomGenerator.Generate(1, PhantomGenerator.MinimumSize - 1));
    }

    [Fact]
    public void Hashed_noise_has_zero_mean_and_unit_variance()
    {
        double sum = 0, squares = 0;
        const int count = 200_000;
        for (var n = 0; n < count; n++)
        {
            double value = ScannerModel.StandardNormal(12345, n);
            sum += value;
            squares += value * value;
        }

        Assert.InRange(sum / count, -0.01, 0.01);
        Assert.InRange(Math.Sqrt((squares / count) - ((sum / count) * (sum / count))), 0.98, 1.02);
    }

    [Fact]
    public void Every_labelled_voxel_lies_inside_the_body_and_the_body_inside_the_field_of_view()
    {
        foreach (var c in fixture.Cases)
        {
            var size = c.Image.Size;
            var inside = BodyRowsAndColumns(c.Image);
            var outside = 0;
            PhantomMeasure.Visit(size, (i, j, k, n) =>
            {
                if (c.Labels.Voxels[n] != 0 && !inside[n])
                {
                    outside++;
                }
            });
            Assert.True(outside == 0, $"seed {c.Seed}: {outside} labelled voxels outside the body");

            // No body tissue at the edge of any slice: the FOV does not cut the patient.
            var edge = 0;
            PhantomMeasure.Visit(size, (i, j, k, n) =>
            {
                if ((i == 0 || j == 0 || i == size.I - 1 || j == size.J - 1) && c.Image.Voxels[n] > -500)
                {
                    edge++;
                }
            });
            Assert.True(edge == 0, $"seed {c.Seed}: {edge} edge voxels are body");
        }
    }

    /// <summary>
    /// Voxels that lie between body voxels (HU &gt; -500) along both their row and their column:
    /// the body outline filled, lungs included, without knowing the generator's own body model.
    /// </summary>
    private static bool[] BodyRowsAndColumns(Volume image)
    {
        var size = image.Size;
        var rows = new bool[image.Voxels.Length];
        var columns = new bool[image.Voxels.Length];
        for (var k = 0; k < size.K; k++)
        {
            for (var line = 0; line < size.I; line++)
            {
                Fill(image, rows, n => (int)size.Offset(n, line, k), size.I);
                Fill(image, columns, n => (int)size.Offset(line, n, k), size.J);
            }
        }

        return [.. rows.Zip(columns, (r, c) => r && c)];
    }

    private static void Fill(Volume image, bool[] mask, Func<int, int> index, int length)
    {
        int first = -1, last = -1;
        for (var n = 0; n < length; n++)
        {
            if (image.Voxels[index(n)] > -500)
            {
                first = first < 0 ? n : first;
                last = n;
            }
        }

        for (var n = first + 1; first >= 0 && n < last; n++)
        {
            mask[index(n)] = true;
        }
    }
}
