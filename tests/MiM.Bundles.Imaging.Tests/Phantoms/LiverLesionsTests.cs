using MiM.Bundles.Imaging.Phantoms;

namespace MiM.Bundles.Imaging.Tests.Phantoms;

public class LiverLesionsTests
{
    private const int Size = 32;

    [Fact]
    public void The_same_seed_and_fraction_give_bit_identical_lesions_on_one_thread_or_many()
    {
        var many = PhantomGenerator.Generate(21, Size, 1.0);
        var one = PhantomGenerator.Generate(21, Size, 1.0, maxDegreeOfParallelism: 1);
        Assert.True(many.HasLesion);
        Assert.Equal(many.Lesions, one.Lesions);
        Assert.True(many.Image.Voxels.AsSpan().SequenceEqual(one.Image.Voxels), "image voxels differ");
        Assert.True(many.Labels.Voxels.AsSpan().SequenceEqual(one.Labels.Voxels), "label voxels differ");
    }

    [Fact]
    public void A_case_drawn_without_lesions_is_bit_identical_to_the_case_generated_without_lesions()
    {
        var checkedCases = 0;
        foreach (var seed in Enumerable.Range(40, 6))
        {
            var withFraction = PhantomGenerator.Generate(seed, Size, 0.5);
            if (withFraction.HasLesion)
            {
                continue;
            }

            var plain = PhantomGenerator.Generate(seed, Size);
            Assert.True(withFraction.Image.Voxels.AsSpan().SequenceEqual(plain.Image.Voxels), $"seed {seed}: image differs");
            Assert.True(withFraction.Labels.Voxels.AsSpan().SequenceEqual(plain.Labels.Voxels), $"seed {seed}: labels differ");
            checkedCases++;
        }

        Assert.True(checkedCases > 0, "no case without lesions among the seeds tried");
        Assert.False(PhantomGenerator.Generate(40, Size, 0.0).HasLesion);
    }

    [Fact]
    public void Lesion_voxels_exist_exactly_when_the_flag_is_set_and_replace_liver_voxels_only()
    {
        foreach (var seed in Enumerable.Range(60, 4))
        {
            var plain = PhantomGenerator.Generate(seed, Size);
            var lesioned = PhantomGenerator.Generate(seed, Size, 1.0);
            Assert.True(lesioned.HasLesion, $"seed {seed}: fraction 1 gave no lesion");
            Assert.InRange(lesioned.Lesions, 1, 3);
            var lesionVoxels = 0;
            double contrast = 0;
            for (var n = 0; n < plain.Labels.Voxels.Length; n++)
            {
                var before = plain.Labels.Voxels[n];
                var after = lesioned.Labels.Voxels[n];
                if (after == PhantomLabels.LiverLesion)
                {
                    Assert.Equal(PhantomLabels.Liver, before);
                    lesionVoxels++;
                    contrast += Math.Abs(lesioned.Image.Voxels[n] - plain.Image.Voxels[n]);
                }
                else
                {
                    Assert.Equal(before, after);
                }
            }

            Assert.True(lesionVoxels > 0, $"seed {seed}: flagged but no lesion voxel");

            // 40-90 HU of contrast, softened at the edges of small lesions by the scanner blur.
            Assert.True(contrast / lesionVoxels > 15, $"seed {seed}: mean |lesion - liver| {contrast / lesionVoxels:F1} HU");
        }

        var without = PhantomGenerator.Generate(41, Size, 0.0);
        Assert.DoesNotContain(PhantomLabels.LiverLesion, without.Labels.Voxels);
    }

    [Fact]
    public void About_the_requested_fraction_of_seeds_get_lesions_and_a_higher_fraction_only_adds_lesions()
    {
        var seeds = Enumerable.Range(0, 200).ToList();
        var atHalf = seeds.Where(s => new LiverLesions(s, 0.5).Count > 0).ToHashSet();
        var atThird = seeds.Where(s => new LiverLesions(s, 0.3).Count > 0).ToHashSet();

        // Binomial(200, 0.5) lies within 100 ± 25 with probability > 0.999; the draw is fixed by the seeds anyway.
        Assert.InRange(atHalf.Count, 75, 125);
        Assert.True(atThird.IsSubsetOf(atHalf), "a case with lesions at 0.3 lost them at 0.5");
        Assert.True(atThird.Count < atHalf.Count);
        Assert.DoesNotContain(seeds, s => new LiverLesions(s, 0).Count > 0);
        Assert.Equal(seeds.Count, seeds.Count(s => new LiverLesions(s, 1).Count > 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LiverLesions(1, 1.5));
    }

    [Fact]
    public void The_lesion_segment_is_label_ten_after_the_unchanged_anatomy_labels()
    {
        Assert.Equal(10, PhantomLabels.LiverLesion);
        Assert.Equal(PhantomLabels.All, PhantomLabels.WithLesions.Take(PhantomLabels.All.Count));
        Assert.Equal(PhantomLabels.Lesion, PhantomLabels.WithLesions[^1]);
        Assert.Equal(("liver_lesion", "52988006", "49755003"), (PhantomLabels.Lesion.Name, PhantomLabels.Lesion.Type.CodeValue, PhantomLabels.Lesion.Category.CodeValue));
        Assert.DoesNotContain(PhantomLabels.Lesion.Colour, PhantomLabels.All.Select(l => l.Colour));
    }
}
