using System.Globalization;
using MiM.Bundles.Model.Configuration;
using MiM.Bundles.Model.Networks;
using Xunit.Abstractions;

namespace MiM.Bundles.Model.Tests.Networks;

/// <summary>The full-size network against the authors' parameter names, shapes and counts.</summary>
public sealed class ParameterNamesAndCountsTests(ParameterNamesAndCountsTests.FullNetwork full, ITestOutputHelper output)
    : IClassFixture<ParameterNamesAndCountsTests.FullNetwork>
{
    private readonly MimPretrainNetwork _network = full.Network;

    [Fact]
    public void Full_size_trainable_parameter_counts_match_the_spec()
    {
        var trainable = _network.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        long Count(Func<string, bool> belongs) => trainable.Where(p => belongs(p.name)).Sum(p => p.parameter.numel());

        var fusion = Count(n => n.StartsWith("stage", StringComparison.Ordinal) && n.Contains("_output_decode", StringComparison.Ordinal));
        var decoder = Count(n => n.StartsWith("decoder_", StringComparison.Ordinal) || n == "mask_token");
        var projectors = Count(n => n.StartsWith("aggregate_", StringComparison.Ordinal));
        var encoder = Count(n => n.StartsWith("patch_embed", StringComparison.Ordinal) || n.StartsWith("blocks", StringComparison.Ordinal) || n.StartsWith("norm.", StringComparison.Ordinal));

        Assert.Equal(21_504_144, encoder);
        Assert.Equal(12_387_456, fusion);
        Assert.Equal(34_497_280, decoder);
        Assert.Equal(2_658_816, projectors);
        Assert.Equal(71_047_696, trainable.Sum(p => p.parameter.numel()));
        Assert.Equal(encoder + fusion + decoder + projectors, trainable.Sum(p => p.parameter.numel()));
    }

    [Fact]
    public void State_dict_names_shapes_and_order_equal_the_authors_key_list()
    {
        var expected = ReadOfficialKeys();
        var actual = _network.state_dict();

        Assert.Equal(363, expected.Count);
        var missing = expected.Select(e => e.Key).Except(actual.Keys).ToList();
        var unexpected = actual.Keys.Except(expected.Select(e => e.Key)).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0, $"missing: {string.Join(", ", missing)}; unexpected: {string.Join(", ", unexpected)}");
        foreach (var (key, shape, _) in expected)
        {
            Assert.True(shape.SequenceEqual(actual[key].shape), $"{key}: expected [{string.Join(",", shape)}], found [{string.Join(",", actual[key].shape)}]");
        }

        var sameOrder = expected.Select(e => e.Key).SequenceEqual(actual.Keys);
        output.WriteLine($"state-dict order equals the authors': {sameOrder}");
        Assert.True(sameOrder);
    }

    [Fact]
    public void Requires_grad_matches_the_authors_and_only_position_embeddings_are_frozen()
    {
        var parameters = _network.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (key, _, requiresGrad) in ReadOfficialKeys())
        {
            Assert.True(parameters.ContainsKey(key), $"{key} is not a parameter");
            Assert.True(requiresGrad == parameters[key].requires_grad, $"{key}: requires_grad should be {requiresGrad}");
        }

        var frozen = parameters.Where(p => !p.Value.requires_grad).Sum(p => p.Value.numel());
        Assert.Equal(207_360, frozen);
    }

    private static List<(string Key, long[] Shape, bool RequiresGrad)> ReadOfficialKeys() =>
        File.ReadLines(ReferenceAssets.Path("mim_official_keys.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("key\t", StringComparison.Ordinal))
            .Select(line => line.Split('\t'))
            .Select(f => (f[0], f[1].Split(" x ").Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray(), bool.Parse(f[2])))
            .ToList();

    /// <summary>Builds the 71M-parameter network once for the class (construction and xavier init take a moment).</summary>
    public sealed class FullNetwork : IDisposable
    {
        public MimPretrainNetwork Network { get; } = new(MimNetworkConfig.Full);

        public void Dispose() => Network.Dispose();
    }
}
