using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Host.Shadow;

namespace MiM.Bundles.Host.Tests.Shadow;

public sealed class LabelAgreementTests
{
    private static readonly VolumeGeometry Grid = new(new GridSize(8, 1, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity);

    private static LabelMap Map(params ushort[] labels) => new(Grid, labels);

    [Fact]
    public void Identical_label_maps_have_Dice_1_for_every_label_present_or_declared()
    {
        var map = Map(0, 1, 1, 2, 2, 2, 0, 0);

        var dice = LabelAgreement.DicePerLabel(map, Map(0, 1, 1, 2, 2, 2, 0, 0), declared: [1, 2, 3]);

        Assert.Equal([1, 2, 3], dice.Keys);
        Assert.All(dice.Values, d => Assert.Equal(1.0, d));
        Assert.Equal(1.0, LabelAgreement.Mean(dice));
    }

    [Fact]
    public void Dice_per_label_is_twice_the_overlap_over_the_two_sizes()
    {
        // label 1: serving {1,2,3}, shadow {2,3,4} → 2·2/(3+3); label 2: serving {5}, shadow {5,6} → 2·1/(1+2).
        var serving = Map(0, 1, 1, 1, 0, 2, 0, 0);
        var shadow = Map(0, 0, 1, 1, 1, 2, 2, 0);

        var dice = LabelAgreement.DicePerLabel(serving, shadow, declared: []);

        Assert.Equal(4.0 / 6.0, dice[1], 12);
        Assert.Equal(2.0 / 3.0, dice[2], 12);
        Assert.Equal((4.0 / 6.0 + 2.0 / 3.0) / 2, LabelAgreement.Mean(dice), 12);
    }

    [Fact]
    public void A_label_only_one_version_finds_has_Dice_0_and_a_declared_label_both_leave_empty_has_Dice_1()
    {
        var serving = Map(0, 1, 1, 0, 0, 0, 0, 0);
        var shadow = Map(0, 1, 1, 0, 3, 3, 0, 0);

        var dice = LabelAgreement.DicePerLabel(serving, shadow, declared: [1, 2]);

        Assert.Equal(1.0, dice[1]);
        Assert.Equal(1.0, dice[2]);
        Assert.Equal(0.0, dice[3]);
        Assert.False(dice.ContainsKey(0));
    }

    [Fact]
    public void Two_empty_maps_with_nothing_declared_agree_fully()
    {
        var dice = LabelAgreement.DicePerLabel(Map(new ushort[8]), Map(new ushort[8]), declared: []);

        Assert.Empty(dice);
        Assert.Equal(1.0, LabelAgreement.Mean(dice));
    }

    [Fact]
    public void Maps_on_different_grids_are_refused()
    {
        var other = new LabelMap(new VolumeGeometry(new GridSize(4, 2, 1), default, new Vector3D(1, 1, 1), Direction3D.Identity), new ushort[8]);

        Assert.Throws<ArgumentException>(() => LabelAgreement.DicePerLabel(Map(new ushort[8]), other, declared: []));
    }
}
