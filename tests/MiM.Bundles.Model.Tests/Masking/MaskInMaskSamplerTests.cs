using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Masking;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Masking;

public class MaskInMaskSamplerTests
{
    public static TheoryData<int, int, int> Sizes => new()
    {
        // S, level-2 children, level-3 children per level-2 volume.
        { 32, 2, 2 },
        { 64, 4, 4 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void Shapes_and_visible_token_counts_follow_the_config(int size, int n2, int n3PerParent)
    {
        var network = MaskingFixtures.Network(size);
        var config = new MaskInMaskConfig { Level2Count = n2, Level3PerLevel2 = n3PerParent };
        using var crop = MaskingFixtures.Crop(size);

        using var sample = new MaskInMaskSampler(network, config).Sample(crop, MaskingFixtures.Stream(0));

        AssertShapesAndCounts(sample, network, config);
    }

    [Fact]
    public void Full_size_sample_has_the_papers_shapes_and_visible_counts()
    {
        using var crop = MaskingFixtures.Crop(96);

        using var sample = new MaskInMaskSampler(MimNetworkConfig.Full, new MaskInMaskConfig()).Sample(crop, MaskingFixtures.Stream(0));

        AssertShapesAndCounts(sample, MimNetworkConfig.Full, new MaskInMaskConfig());
        Assert.Equal(108, Visible(sample.Level1Mask, 0));
        Assert.Equal(86, Visible(sample.Level2Mask, 0));
        Assert.Equal(16, sample.Level3Input.shape[0]);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(96)]
    public void Children_always_come_from_masked_regions_of_their_parent(int size)
    {
        var network = MaskingFixtures.Network(size);
        var config = size == 32 ? MaskingFixtures.UnitConfig : new MaskInMaskConfig();
        var sampler = new MaskInMaskSampler(network, config);
        using var crop = MaskingFixtures.Crop(size);

        for (var step = 0; step < (size == 96 ? 5 : 40); step++)
        {
            using var sample = sampler.Sample(crop, MaskingFixtures.Stream(step));
            var level1 = MaskingFixtures.Row(sample.Level1Mask, 0);
            for (var child = 0; child < sample.Level2Octants.Count; child++)
            {
                var cube = MaskingFixtures.CubeOf(sample.Level2Octants[child], network.GridSize);
                Assert.Equal(cube.Order(), sample.Level2ParentTokens[child]);
                Assert.All(cube, t => Assert.Equal(1f, level1[t]));
            }

            for (var child = 0; child < sample.Level3ParentToken.Count; child++)
            {
                var parentMask = MaskingFixtures.Row(sample.Level2Mask, sample.Level3ParentVolume[child]);
                Assert.Equal(1f, parentMask[sample.Level3ParentToken[child]]);
            }
        }
    }

    [Fact]
    public void Level1_input_is_the_crop_resized_trilinearly_which_halves_by_averaging_voxel_pairs()
    {
        using var crop = MaskingFixtures.Crop(64);
        using var sample = new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig()).Sample(crop, MaskingFixtures.Stream(3));
        using var scope = torch.NewDisposeScope();

        var resized = nn.functional.interpolate(crop, [64, 64, 64], mode: InterpolationMode.Trilinear, align_corners: false);
        var pooled = nn.functional.avg_pool3d(crop, [2, 2, 2]);

        Assert.True(MaskingFixtures.Same(sample.Level1Input, resized));
        Assert.True(sample.Level1Input.allclose(pooled, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Level2_children_are_the_crops_octants_voxel_for_voxel()
    {
        using var crop = MaskingFixtures.Crop(64);
        var sampler = new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig());
        using var scope = torch.NewDisposeScope();

        for (var step = 0; step < 4; step++)
        {
            using var sample = sampler.Sample(crop, MaskingFixtures.Stream(step));
            for (var child = 0; child < sample.Level2Octants.Count; child++)
            {
                var o = sample.Level2Octants[child];
                var (a, b, c) = (((o >> 2) & 1) * 64, ((o >> 1) & 1) * 64, (o & 1) * 64);
                var octant = crop[0, 0, TensorIndex.Slice(a, a + 64), TensorIndex.Slice(b, b + 64), TensorIndex.Slice(c, c + 64)];
                Assert.True(MaskingFixtures.Same(sample.Level2Input[child, 0], octant));
                Assert.Equal(new CropRegion(a, b, c, 64), sample.Level2Regions[child]);
            }
        }
    }

    [Theory]
    [InlineData(64)]
    [InlineData(32)]
    public void Level3_children_are_their_parent_token_upsampled_trilinearly(int size)
    {
        var network = MaskingFixtures.Network(size);
        var config = size == 32 ? MaskingFixtures.UnitConfig : new MaskInMaskConfig();
        using var crop = MaskingFixtures.Crop(size);
        using var sample = new MaskInMaskSampler(network, config).Sample(crop, MaskingFixtures.Stream(5));
        using var scope = torch.NewDisposeScope();
        var g = network.GridSize;

        for (var child = 0; child < sample.Level3ParentToken.Count; child++)
        {
            var t = sample.Level3ParentToken[child];
            var (h, w, d) = (t / (g * g) * 16, t / g % g * 16, t % g * 16);
            var parent = sample.Level2Input[TensorIndex.Slice(sample.Level3ParentVolume[child], sample.Level3ParentVolume[child] + 1)];
            var patch = parent[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(h, h + 16), TensorIndex.Slice(w, w + 16), TensorIndex.Slice(d, d + 16)];
            var expected = nn.functional.interpolate(patch, [size, size, size], mode: InterpolationMode.Trilinear, align_corners: false);

            Assert.True(sample.Level3Input[TensorIndex.Slice(child, child + 1)].allclose(expected, rtol: 0, atol: 1e-6));
            var region = sample.Level3Regions[child];
            var fromCrop = crop[0, 0, TensorIndex.Slice(region.Start2, region.Start2 + 16), TensorIndex.Slice(region.Start3, region.Start3 + 16), TensorIndex.Slice(region.Start4, region.Start4 + 16)];
            Assert.True(MaskingFixtures.Same(patch[0, 0], fromCrop));
        }
    }

    [Fact]
    public void The_same_seed_and_step_give_the_identical_sample_and_other_steps_differ()
    {
        var sampler = new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig());
        using var crop = MaskingFixtures.Crop(64);

        using var first = sampler.Sample(crop, MaskingFixtures.Stream(11));
        using var again = new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig()).Sample(crop, MaskingFixtures.Stream(11));
        using var next = sampler.Sample(crop, MaskingFixtures.Stream(12));

        foreach (var (a, b) in Tensors(first).Zip(Tensors(again)))
        {
            Assert.True(MaskingFixtures.Same(a, b));
        }

        Assert.Equal(first.Level2Octants, again.Level2Octants);
        Assert.Equal(first.Level3ParentVolume, again.Level3ParentVolume);
        Assert.Equal(first.Level3ParentToken, again.Level3ParentToken);
        Assert.Equal(first.Level3Regions, again.Level3Regions);
        Assert.False(MaskingFixtures.Same(first.Level1Mask, next.Level1Mask) && MaskingFixtures.Same(first.Level2Mask, next.Level2Mask));
        Assert.False(MaskingFixtures.Same(first.Level3Mask, next.Level3Mask));
    }

    [Fact]
    public void A_crop_of_the_wrong_size_is_refused_with_the_expected_shape()
    {
        using var crop = torch.zeros([1, 1, 64, 64, 64]);

        var error = Assert.Throws<ArgumentException>(() => new MaskInMaskSampler(MimNetworkConfig.Smoke, new MaskInMaskConfig()).Sample(crop, MaskingFixtures.Stream(0)));
        Assert.Contains("[1, 1, 128, 128, 128]", error.Message);
    }

    [Fact]
    public void LegacyAlignment_is_carried_to_the_sample()
    {
        using var crop = MaskingFixtures.Crop(32);

        using var sample = new MaskInMaskSampler(MimNetworkConfig.Unit, MaskingFixtures.UnitConfig with { LegacyAlignment = true }).Sample(crop, MaskingFixtures.Stream(0));
        Assert.True(sample.LegacyAlignment);
    }

    private static void AssertShapesAndCounts(MaskInMaskSample sample, MimNetworkConfig network, MaskInMaskConfig config)
    {
        long s = network.InputSize, t = network.TokenCount;
        long n2 = config.Level2Count, n3 = config.Level2Count * config.Level3PerLevel2;
        Assert.Equal([1L, 1, s, s, s], sample.Level1Input.shape);
        Assert.Equal([n2, 1, s, s, s], sample.Level2Input.shape);
        Assert.Equal([n3, 1, s, s, s], sample.Level3Input.shape);
        Assert.Equal([1L, t], sample.Level1Mask.shape);
        Assert.Equal([n2, t], sample.Level2Mask.shape);
        Assert.Equal([n3, t], sample.Level3Mask.shape);
        Assert.Equal(n3, sample.Level3ParentToken.Count);
        Assert.All(new[] { sample.Level1Input, sample.Level2Input, sample.Level3Input, sample.Level1Mask }, x => Assert.Equal(ScalarType.Float32, x.dtype));

        var expected = new[] { config.Level1MaskRatio, config.Level2MaskRatio, config.Level3MaskRatio }
            .Select(r => (int)Math.Floor(t * (1 - r))).ToArray();
        Assert.Equal(expected[0], Visible(sample.Level1Mask, 0));
        Assert.All(Enumerable.Range(0, (int)n2), row => Assert.Equal(expected[1], Visible(sample.Level2Mask, row)));
        Assert.All(Enumerable.Range(0, (int)n3), row => Assert.Equal(expected[2], Visible(sample.Level3Mask, row)));
    }

    private static int Visible(Tensor mask, long row) => MaskingFixtures.Row(mask, row).Count(v => v == 0f);

    private static Tensor[] Tensors(MaskInMaskSample s) =>
        [s.Level1Input, s.Level1Mask, s.Level2Input, s.Level2Mask, s.Level3Input, s.Level3Mask];
}
