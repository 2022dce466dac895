using System.Text.Json;
using System.Text.Json.Nodes;

namespace MiM.Bundles.Host.Tests.Cli.Bundles;

[Collection(TrainedOutputsGroup.Name)]
public sealed class BundleCommandTests(TrainedOutputsFixture trained) : IDisposable
{
    private static readonly TimeSpan Timeout = TrainedOutputsFixture.Timeout;
    private readonly string _out = Path.Combine(trained.Bundles, "t-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static JsonObject Metadata(string bundle) => JsonNode.Parse(File.ReadAllText(Path.Combine(bundle, "configs", "metadata.json")))!.AsObject();

    [Fact]
    public void An_encoder_bundle_from_a_pretrain_run_validates_and_inspects_as_json()
    {
        var validate = MimProcess.Run(Timeout, "bundle", "validate", trained.Encoder);
        Assert.True(validate.ExitCode == 0, validate.StdOut + validate.StdErr);
        Assert.Contains("mim-encoder 1.0.0 (mim-encoder) is servable", validate.StdOut, StringComparison.Ordinal);

        var inspect = MimProcess.Run(Timeout, "bundle", "inspect", trained.Encoder, "--json");
        Assert.Equal(0, inspect.ExitCode);
        using var json = JsonDocument.Parse(inspect.StdOut);
        Assert.Equal("encoder", json.RootElement.GetProperty("metadata").GetProperty("task").GetString());
        Assert.Equal("mim-hidden-states/1", json.RootElement.GetProperty("metadata").GetProperty("feature_format").GetString());
        Assert.True(json.RootElement.GetProperty("servable").GetBoolean());
        Assert.True(json.RootElement.GetProperty("weights").GetProperty("models/encoder.safetensors").GetInt32() > 50);
        Assert.True(File.Exists(Path.Combine(trained.Encoder, "bundle-complete.json")));
    }

    [Fact]
    public void A_head_fine_tuned_with_that_encoder_frozen_is_split_from_it_and_requires_it()
    {
        var result = MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(trained.Frozen, "best"), "--out", _out, "--id", "phantom-liver", "--version", "1.0.0", "--encoder", trained.Encoder);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("encoder shared: the encoder was frozen during fine-tuning and equals mim-encoder 1.0.0 tensor for tensor", result.StdOut, StringComparison.Ordinal);
        var metadata = Metadata(_out);
        Assert.Equal("shared", metadata["encoder"]!.GetValue<string>());
        Assert.Equal("^1.0", metadata["requires"]!["mim-encoder"]!.GetValue<string>());
        Assert.Equal("10200004", metadata["network_data_format"]!["outputs"]!["pred"]!["channel_def"]!["1"]!["type"]!["code"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(_out, "models", "head.safetensors")));
        Assert.False(File.Exists(Path.Combine(_out, "models", "encoder.safetensors")));
        Assert.Equal(0, MimProcess.Run(Timeout, "bundle", "validate", _out).ExitCode);
    }

    [Fact]
    public void A_head_fine_tuned_with_its_encoder_carries_it_and_says_why()
    {
        var result = MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(trained.Unfrozen, "best"), "--out", _out, "--id", "phantom-liver-own", "--version", "1.0.0", "--encoder", trained.Encoder);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Contains("encoder embedded: the encoder was fine-tuned together with the head (not frozen)", result.StdOut, StringComparison.Ordinal);
        Assert.Equal("embedded", Metadata(_out)["encoder"]!.GetValue<string>());
        Assert.Null(Metadata(_out)["requires"]);
        Assert.True(File.Exists(Path.Combine(_out, "models", "encoder.safetensors")));
        Assert.Contains("not frozen", File.ReadAllText(Path.Combine(_out, "docs", "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void A_frozen_head_with_an_encoder_of_other_weights_is_not_split_and_names_a_differing_tensor()
    {
        var other = Path.Combine(_out, "encoder-seed-7");
        Directory.CreateDirectory(_out);
        Assert.Equal(0, MimProcess.Run(Timeout, "bundle", "new", "--from", trained.Pretrain, "--out", other, "--id", "mim-encoder", "--version", "2.0.0", "--seed", "7").ExitCode);
        var head = Path.Combine(_out, "head");
        var result = MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(trained.Frozen, "best"), "--out", head, "--id", "phantom-liver", "--version", "1.0.0", "--encoder", other);
        Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
        Assert.Matches(@"encoder embedded: the frozen encoder differs from mim-encoder 2\.0\.0 in \d+ tensor\(s\), e\.g\. ", result.StdOut);
    }

    [Fact]
    public void Validate_prints_every_problem_and_exits_1()
    {
        Assert.Equal(0, MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(trained.Frozen, "best"), "--out", _out, "--id", "phantom-liver", "--version", "1.0.0", "--encoder", trained.Encoder).ExitCode);
        var metadata = Metadata(_out);
        metadata["version"] = "1.0";
        metadata["requires"] = new JsonObject { ["mim-encoder"] = "^3.0" };
        File.WriteAllText(Path.Combine(_out, "configs", "metadata.json"), metadata.ToJsonString());
        File.Delete(Path.Combine(_out, "LICENSE"));

        var result = MimProcess.Run(Timeout, "bundle", "validate", _out);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("E: bundle-complete.json: configs/metadata.json: changed since the folder was marked complete", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("E: configs/metadata.json: version: \"1.0\" is not a semantic version", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("E: configs/metadata.json: requires.mim-encoder: no known encoder meets mim-encoder ^3.0 (known: 1.0.0)", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("E: LICENSE: missing", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("not servable", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_refuses_a_head_whose_weights_do_not_match_its_network_naming_the_tensor_and_both_shapes()
    {
        Assert.Equal(0, MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(trained.Frozen, "best"), "--out", _out, "--id", "phantom-liver", "--version", "1.0.0", "--encoder", trained.Encoder).ExitCode);
        var inference = JsonNode.Parse(File.ReadAllText(Path.Combine(_out, "configs", "inference.json")))!;
        inference["network_def"]!["downstream"]!["classes"] = 3;
        File.WriteAllText(Path.Combine(_out, "configs", "inference.json"), inference.ToJsonString());

        var result = MimProcess.Run(Timeout, "bundle", "validate", _out);
        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"E: models/head\.safetensors: out\.weight: has shape \[2, \d+, 1, 1, 1\] but the network expects \[3, \d+, 1, 1, 1\]", result.StdErr);
    }

    [Fact]
    public void New_refuses_an_existing_folder_and_a_missing_source()
    {
        Directory.CreateDirectory(_out);
        var existing = MimProcess.Run(Timeout, "bundle", "new", "--from", trained.Pretrain, "--out", _out, "--id", "x", "--version", "1.0.0");
        Assert.Equal(2, existing.ExitCode);
        Assert.Contains("already exists; a bundle version is never overwritten", existing.StdErr, StringComparison.Ordinal);

        var missing = MimProcess.Run(Timeout, "bundle", "new", "--from", Path.Combine(_out, "nope"), "--out", Path.Combine(_out, "b"), "--id", "x", "--version", "1.0.0");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bundle_help_names_the_authoring_verbs()
    {
        var help = MimProcess.Run(Timeout, "bundle", "--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var verb in new[] { "new", "validate", "inspect" })
        {
            Assert.Contains(verb, help.StdOut, StringComparison.Ordinal);
        }
    }
}
