using MiM.Bundles.Model.Numerics;

namespace MiM.Bundles.Model.Tests.Numerics;

public sealed class KernelSelfCheckTests
{
    [Fact]
    public void Every_convolution_kind_has_a_path_whose_checks_all_passed_on_this_cpu()
    {
        var report = CpuKernelGuard.EnsurePassed();

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Failures));
        foreach (var kind in Enum.GetValues<ConvolutionKind>())
        {
            var chosen = report.Paths[kind];
            Assert.All(report.Checks.Where(c => c.Kind == kind && c.Path == chosen), c => Assert.True(c.Passed, c.ToString()));
        }
    }

    [Fact]
    public void Checks_cover_batch_one_and_two_for_every_kind_and_each_candidate_path_before_the_chosen_one()
    {
        var report = CpuKernelGuard.Report;

        foreach (var kind in Enum.GetValues<ConvolutionKind>())
        {
            Assert.Contains(report.Checks, c => c.Kind == kind && c.Batch == 1);
            Assert.Contains(report.Checks, c => c.Kind == kind && c.Batch == 2);
            var candidates = KernelSelfCheck.CandidatePaths(kind);
            var chosenAt = candidates.ToList().IndexOf(report.Paths[kind]);
            // A path is only skipped for the next one when one of its own checks failed.
            foreach (var skipped in candidates.Take(chosenAt))
            {
                Assert.Contains(report.Checks, c => c.Kind == kind && c.Path == skipped && !c.Passed);
            }
        }
    }

    [Fact]
    public void A_wrong_result_fails_its_check()
    {
        var wrong = new KernelCheck("x", ConvolutionKind.Dense, ConvolutionPath.LibTorch, 2, 0.23, 1e-7, 1e-7, 0);
        var notANumber = new KernelCheck("x", ConvolutionKind.Dense, ConvolutionPath.LibTorch, 2, 1e-7, double.NaN, 1e-7, 0);
        var right = new KernelCheck("x", ConvolutionKind.Dense, ConvolutionPath.LibTorch, 2, 4e-6, 1e-7, 1e-6, 0);

        Assert.False(wrong.Passed);
        Assert.False(notANumber.Passed);
        Assert.True(right.Passed);
    }

    [Fact]
    public void A_report_without_a_right_path_for_some_kind_refuses_with_the_failed_checks()
    {
        var failed = new KernelCheck("dense 3³ 12→12 @8³", ConvolutionKind.Dense, ConvolutionPath.Explicit, 2, 0.5, 0.5, 0.5, 0);
        var paths = Enum.GetValues<ConvolutionKind>().Where(k => k != ConvolutionKind.Dense).ToDictionary(k => k, _ => ConvolutionPath.Explicit);
        var report = new KernelCheckReport([failed], paths, TimeSpan.FromSeconds(1));

        var exception = new KernelSelfCheckException(report);

        Assert.False(report.Passed);
        Assert.Contains("dense 3³ 12→12 @8³ N=2 via Explicit", exception.Message, StringComparison.Ordinal);
        Assert.Contains("will not train or serve", exception.Message, StringComparison.Ordinal);
    }
}
