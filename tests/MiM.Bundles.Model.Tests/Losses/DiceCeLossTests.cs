using MiM.Bundles.Model.Losses;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Losses;

public sealed class DiceCeLossTests
{
    [Fact]
    public void Matches_the_hand_computed_MONAI_value_for_two_classes_and_two_voxels()
    {
        using var scope = NewDisposeScope();
        // One item, two classes, a 1x1x2 volume: voxel 0 has logits (2, 0) and label 0, voxel 1 has (0, 1) and label 1.
        var logits = tensor(new float[] { 2, 0, 0, 1 }).reshape(1, 2, 1, 1, 2);
        var labels = tensor(new long[] { 0, 1 }).reshape(1, 1, 1, 1, 2);

        // Softmax by hand.
        var p00 = Math.Exp(2) / (Math.Exp(2) + 1); // class 0, voxel 0
        var p10 = 1 - p00;
        var p11 = Math.Exp(1) / (Math.Exp(1) + 1); // class 1, voxel 1
        var p01 = 1 - p11;
        var ce = (-Math.Log(p00) - Math.Log(p11)) / 2;
        const double s = 1e-5;
        var dice0 = 1 - (((2 * p00) + s) / (p00 + p01 + 1 + s));
        var dice1 = 1 - (((2 * p11) + s) / (p10 + p11 + 1 + s));
        var expectedDice = (dice0 + dice1) / 2;

        var terms = new DiceCeLoss().Compute(logits, labels);

        Assert.Equal(ce, terms.CrossEntropy.item<float>(), 1e-6);
        Assert.Equal(expectedDice, terms.Dice.item<float>(), 1e-6);
        Assert.Equal(ce + expectedDice, terms.Total.item<float>(), 1e-6);
    }

    [Fact]
    public void A_class_absent_from_prediction_and_target_scores_a_perfect_dice_thanks_to_smoothing()
    {
        using var scope = NewDisposeScope();
        // Three classes; class 2 is never the label, and its logit is so low its probability underflows to 0.
        var logits = tensor(new float[] { 50, -50, 0, 0, -200, -200 }).reshape(1, 3, 1, 1, 2);
        var labels = tensor(new long[] { 0, 1 }).reshape(1, 1, 1, 2);
        var terms = new DiceCeLoss().Compute(logits, labels);
        // Classes 0 and 1: each predicted exactly once with probability ≈ 1, so Dice ≈ 0; class 2: (0 + s) / (0 + s) = 1 → loss 0.
        Assert.True(terms.Dice.item<float>() < 1e-5, $"dice loss {terms.Dice.item<float>()}");
    }

    [Fact]
    public void Weights_scale_each_term_and_averaging_is_per_item_and_class()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var logits = randn([2, 4, 3, 3, 3]);
        var labels = randint(0, 4, [2, 3, 3, 3]);
        var plain = new DiceCeLoss().Compute(logits, labels);
        var weighted = new DiceCeLoss { DiceWeight = 0.5, CrossEntropyWeight = 2 }.Compute(logits, labels);
        Assert.Equal((0.5 * plain.Dice.item<float>()) + (2 * plain.CrossEntropy.item<float>()), weighted.Total.item<float>(), 1e-5);

        // batch=False: the mean of the per-item Dice losses equals the Dice loss of the batch.
        var first = new DiceCeLoss().Compute(logits[0..1], labels[0..1]).Dice.item<float>();
        var second = new DiceCeLoss().Compute(logits[1..2], labels[1..2]).Dice.item<float>();
        Assert.Equal((first + second) / 2, plain.Dice.item<float>(), 1e-5);
    }

    [Fact]
    public void Gradient_descent_on_the_logits_lowers_the_loss()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var logits = randn([1, 3, 4, 4, 4]).requires_grad_();
        var labels = randint(0, 3, [1, 1, 4, 4, 4]);
        var loss = new DiceCeLoss();
        var before = loss.Compute(logits, labels).Total;
        before.backward();
        using (no_grad())
        {
            logits.sub_(logits.grad! * 5);
        }

        var after = loss.Compute(logits, labels).Total;
        Assert.True(after.item<float>() < before.item<float>() - 0.05, $"{before.item<float>()} → {after.item<float>()}");
    }

    [Fact]
    public void Mismatched_shapes_are_refused()
    {
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => new DiceCeLoss().Compute(zeros([1, 2, 4, 4, 4]), zeros([1, 1, 4, 4, 3])));
        Assert.Contains("do not match", error.Message, StringComparison.Ordinal);
    }
}
