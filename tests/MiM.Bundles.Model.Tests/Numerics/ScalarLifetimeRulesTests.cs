namespace MiM.Bundles.Model.Tests.Numerics;

/// <summary>
/// The guard of docs/numerics.md "Lifetimes of native objects", read from the source: the model library and the
/// built-in bundle kinds make no TorchSharp Scalar that they do not dispose or keep for the process
/// (Numerics/CachedScalars). The stress tests find
/// such Scalars only on the paths they run; this finds them on every path, including ones written later.
/// </summary>
public sealed class ScalarLifetimeRulesTests
{
    [Theory]
    [InlineData("MiM.Bundles.Model")]
    [InlineData("MiM.Bundles.Standard")] // the built-in bundle kinds: the serving path
    public void A_torch_library_makes_no_scalar_that_is_left_to_the_finalizer(string project)
    {
        var scan = ScalarLifetimeScanner.Scan(RepositoryFiles.Path("bundles", project));

        Assert.True(scan.Unresolved.Count == 0, "the scan could not resolve:\n" + string.Join('\n', scan.Unresolved.Take(20)));
        Assert.True(scan.Findings.Count == 0, $"{scan.Findings.Count} undisposed Scalar(s):\n" + string.Join('\n', scan.Findings));
    }

    [Fact]
    public void The_scanner_finds_each_kind_of_temporary_scalar()
    {
        var folder = Directory.CreateTempSubdirectory("scalar-scan-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "Sample.cs"), """
                using TorchSharp;
                using static TorchSharp.torch;

                internal static class Sample
                {
                    private static readonly Scalar Kept = 2.0.ToScalar();

                    public static Tensor Bad(Tensor a, Tensor b)
                    {
                        var scaled = a.mul(0.5);
                        var cast = a.add(b, (Scalar)3);
                        var sum = a + b;
                        var plain = a.sub(b);
                        var loose = 4.0.ToScalar();
                        return scaled.add(cast, loose).add(sum).add(plain, Kept);
                    }

                    public static TorchSharp.Modules.LeakyReLU Activation() => nn.LeakyReLU(0.01);

                    public static Tensor Good(Tensor a, Tensor b)
                    {
                        using var half = 0.5.ToScalar();
                        return a.mul(half).add(b, Kept);
                    }
                }
                """);

            var scan = ScalarLifetimeScanner.Scan(folder);

            Assert.Empty(scan.Unresolved);
            var lines = scan.Findings.Select(f => f.Line).ToList();
            // Line 13's sub(Tensor) passes no Scalar in TorchSharp's IL (unlike add(Tensor)), so it is not flagged.
            // Line 18 makes a module whose forward passes a temporary Scalar (LeakyReLU's negative slope).
            Assert.Equal([10, 11, 12, 14, 15, 18], lines.Distinct().Order());
            Assert.DoesNotContain(scan.Findings, f => f.Line is 6 or >= 20);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
