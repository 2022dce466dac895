using System.Text.Json.Nodes;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Host.Catalog;
using MiM.Bundles.Host.Loading;
using Semver;

namespace MiM.Bundles.Host.Tests.Catalog;

public sealed class BundleValidatorTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly BundleValidator _validator = new(new PluginBundleDescriber(PluginLocator.LibOnly));

    public void Dispose() => _temp.Dispose();

    private IReadOnlyList<BundleProblem> Validate(TestBundle bundle, params KnownEncoder[] encoders) =>
        _validator.Validate(bundle.Write(_temp.Sub("bundle")), encoders).Problems;

    private static BundleProblem Single(IReadOnlyList<BundleProblem> problems)
    {
        Assert.True(problems.Count == 1, string.Join("\n", problems));
        return problems[0];
    }

    [Fact]
    public void A_complete_bundle_with_plugin_code_is_servable()
    {
        var validation = _validator.Validate(new TestBundle().Write(_temp.Sub("bundle")), []);
        Assert.True(validation.IsServable, string.Join("\n", validation.Problems));
        Assert.Equal("bright-seg", validation.Metadata!.Id);
    }

    [Fact]
    public void A_missing_metadata_file_is_named()
    {
        var folder = new TestBundle().Write(_temp.Sub("bundle"));
        File.Delete(Path.Combine(folder, "configs", "metadata.json"));
        var problems = _validator.Validate(folder, []).Problems;
        Assert.Contains(problems, p => p.File == BundleLayout.Metadata && p.Message == "missing");
    }

    [Fact]
    public void Malformed_metadata_json_is_named_with_the_parser_message()
    {
        var folder = new TestBundle { MarkComplete = false }.Write(_temp.Sub("bundle"));
        File.WriteAllText(Path.Combine(folder, "configs", "metadata.json"), "{ \"id\": ");
        CompletionMarker.Write(folder);
        var problem = Single(_validator.Validate(folder, []).Problems);
        Assert.Equal(BundleLayout.Metadata, problem.File);
        Assert.StartsWith("malformed JSON", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_version_that_is_not_semver_is_refused()
    {
        var bundle = new TestBundle();
        bundle.Metadata["version"] = "1.0";
        bundle.Metadata["changelog"] = new JsonObject { ["1.0"] = "x" };
        var problem = Single(Validate(bundle));
        Assert.Equal("configs/metadata.json: version: \"1.0\" is not a semantic version (MAJOR.MINOR.PATCH, e.g. 1.0.0)", problem.ToString());
    }

    [Fact]
    public void A_contracts_major_version_the_host_does_not_implement_is_refused()
    {
        var bundle = new TestBundle();
        bundle.Metadata["contracts_version"] = "2.0.0";
        var problem = Single(Validate(bundle));
        Assert.Equal("contracts_version", problem.Field);
        Assert.Contains("major version 2 is not implemented by this host (contracts 1.1.0)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_transform_and_an_unknown_transform_parameter_are_both_reported()
    {
        var bundle = new TestBundle();
        bundle.Inference["preprocessing"] = JsonNode.Parse("""
        { "transforms": [ { "name": "Resize", "keys": ["image"] }, { "name": "Orientation", "keys": ["image"], "axcodes": "RAS", "as_closest_canonical": true } ] }
        """);
        var problems = Validate(bundle);
        Assert.Equal(2, problems.Count);
        Assert.Equal("preprocessing.transforms[0]", problems[0].Field);
        Assert.Contains("unknown transform \"Resize\"", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("preprocessing.transforms[1]", problems[1].Field);
        Assert.Contains("as_closest_canonical", problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_encoder_requirement_no_known_encoder_meets_is_refused_and_one_that_is_met_is_not()
    {
        var bundle = new TestBundle();
        bundle.Metadata["encoder"] = "shared";
        bundle.Metadata["requires"] = new JsonObject { ["mim-encoder"] = "^2.0" };
        var known = new KnownEncoder("mim-encoder", SemVersion.Parse("1.4.0", SemVersionStyles.Strict), null);
        var problem = Single(Validate(bundle, known));
        Assert.Equal("configs/metadata.json: requires.mim-encoder: no known encoder meets mim-encoder ^2.0 (known: 1.4.0)", problem.ToString());

        bundle.Metadata["requires"] = new JsonObject { ["mim-encoder"] = "^1.2" };
        Assert.Empty(Validate(bundle, known));
    }

    [Fact]
    public void Weights_whose_names_or_shapes_differ_from_the_network_name_both()
    {
        var bundle = new TestBundle();
        bundle.Weights.Clear();
        bundle.Weights["threshold"] = [2, 3];
        bundle.Weights["bias"] = [1];
        var problems = Validate(bundle);
        Assert.Equal(2, problems.Count);
        Assert.Equal("models/threshold.safetensors: threshold: has shape [2, 3] but the network expects [1]", problems[0].ToString());
        Assert.Equal("models/threshold.safetensors: bias: unexpected: the network has no parameter of this name", problems[1].ToString());

        bundle.Weights.Clear();
        bundle.Weights["other"] = [1];
        Assert.Contains(Validate(bundle), p => p.ToString() == "models/threshold.safetensors: threshold: missing: the network expects a tensor of shape [1]");
    }

    [Fact]
    public void A_label_without_codes_is_refused()
    {
        var bundle = new TestBundle();
        bundle.Metadata["network_data_format"]!["outputs"]!["pred"]!["channel_def"]!["1"] = "bright";
        var problems = Validate(bundle);
        Assert.Contains(problems, p => p.Field == "network_data_format.outputs.pred.channel_def.1.type" && p.Message.Contains("label \"bright\" has no complete code", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "network_data_format.outputs.pred.channel_def.1.category");
        Assert.Contains(problems, p => p.Field == "network_data_format.outputs.pred.channel_def.1.colour");
    }

    [Fact]
    public void A_folder_without_the_completion_marker_or_changed_after_it_is_refused()
    {
        var bundle = new TestBundle { MarkComplete = false };
        Assert.Contains(Validate(bundle), p => p.File == BundleLayout.CompleteMarker && p.Message.StartsWith("missing", StringComparison.Ordinal));

        var folder = new TestBundle().Write(_temp.Sub("changed"));
        File.AppendAllText(Path.Combine(folder, "LICENSE"), "edited\n");
        var problem = Single(_validator.Validate(folder, []).Problems);
        Assert.Equal("bundle-complete.json: LICENSE: changed since the folder was marked complete (size or SHA-256 differs)", problem.ToString());
    }

    [Fact]
    public void Every_problem_is_returned_at_once()
    {
        var bundle = new TestBundle();
        bundle.Metadata.Remove("license");
        bundle.Metadata.Remove("authors");
        bundle.Metadata["version"] = "one";
        bundle.Metadata["task"] = "detection";
        bundle.Inference.Remove("network_def");
        bundle.Inference["postprocessing"] = JsonNode.Parse("""[ { "name": "Smooth" } ]""");
        bundle.Selection["rules"] = JsonNode.Parse("""[ { "attribute": "Modality" } ]""");
        var folder = bundle.Write(_temp.Sub("bundle"));
        File.Delete(Path.Combine(folder, "LICENSE"));
        var problems = _validator.Validate(folder, []).Problems.Select(p => p.ToString()).ToList();
        string[] expected =
        [
            "configs/metadata.json: version: \"one\" is not a semantic version",
            "configs/metadata.json: license: missing",
            "configs/metadata.json: authors: must list at least one author",
            "configs/metadata.json: changelog: has no entry for this version one",
            "configs/metadata.json: task: \"detection\" is not one of encoder, segmentation, classification",
            "configs/inference.json: network_def: missing",
            "configs/inference.json: postprocessing[0].name: unknown post-processing step \"Smooth\"",
            "configs/selection.json: rules[0]: needs exactly one test",
            "LICENSE: missing",
            "configs/inference.json: network_def.threshold: missing: a number",
        ];
        foreach (var line in expected)
        {
            Assert.True(problems.Any(p => p.StartsWith(line, StringComparison.Ordinal)), $"expected \"{line}\" among:\n{string.Join("\n", problems)}");
        }
    }

    [Fact]
    public void An_encoder_mode_that_differs_between_metadata_and_network_def_is_refused()
    {
        var bundle = new TestBundle();
        bundle.Metadata["encoder"] = "embedded";
        bundle.Inference["network_def"]!["encoder"] = "shared";
        var problem = Single(Validate(bundle));
        Assert.Equal("configs/inference.json: network_def.encoder: is \"shared\" but configs/metadata.json says \"embedded\"", problem.ToString());
    }

    [Fact]
    public void A_kind_no_plugin_implements_is_refused_naming_the_built_in_kinds()
    {
        var bundle = new TestBundle(kind: "mystery");
        var problem = Single(Validate(bundle));
        Assert.Equal("configs/metadata.json: kind: plugin ThresholdBundle.dll does not implement kind \"mystery\"", problem.ToString());
    }
}
