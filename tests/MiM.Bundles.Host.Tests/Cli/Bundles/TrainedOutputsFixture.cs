namespace MiM.Bundles.Host.Tests.Cli.Bundles;

/// <summary>The test classes that share one set of training outputs (trained once: CPU time is scarce).</summary>
[CollectionDefinition(Name)]
public sealed class TrainedOutputsGroup : ICollectionFixture<TrainedOutputsFixture>
{
    public const string Name = "trained outputs";
}

/// <summary>
/// Real unit-size training outputs, made once for the bundle tests: phantoms, a 1-step `mim pretrain` run, an encoder
/// bundle from it (seed 0), a 1-step `mim finetune` with that encoder frozen (recipe seed 0) and one with it trained.
/// </summary>
public sealed class TrainedOutputsFixture : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public TrainedOutputsFixture()
    {
        Directory.CreateDirectory(Root);
        Check(MimProcess.Run(Timeout, "phantom", "--out", Data, "--count", "5", "--size", "32"));
        Check(MimProcess.Run(Timeout, "pretrain", "--config", RepositoryFiles.Path("configs", "pretrain", "unit.json"), "--data", Data, "--out", Pretrain, "--steps", "1"));
        Check(MimProcess.Run(Timeout, "bundle", "new", "--from", Pretrain, "--out", Encoder, "--id", "mim-encoder", "--version", "1.0.0"));
        var recipe = RepositoryFiles.Path("configs", "finetune", "unit.json");
        var dataset = Path.Combine(Data, "dataset.json");

        // The recipe's own batch of 2 (it was 1 while libtorch's wrong CPU convolutions were not routed around, issue 11).
        Check(MimProcess.Run(Timeout, "finetune", "--config", recipe, "--data", dataset, "--out", Frozen, "--steps", "1", "--pretrained", Pretrain, "--freeze-encoder", "--threads", "2"));
        Check(MimProcess.Run(Timeout, "finetune", "--config", recipe, "--data", dataset, "--out", Unfrozen, "--steps", "1", "--pretrained", Pretrain, "--threads", "2"));
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "mim-bundle-cli-" + Guid.NewGuid().ToString("N"));

    public string Data => Path.Combine(Root, "data");

    public string Pretrain => Path.Combine(Root, "pretrain");

    /// <summary>The encoder bundle, in <see cref="Bundles"/> so heads beside it find it.</summary>
    public string Encoder => Path.Combine(Bundles, "mim-encoder-1.0.0");

    public string Bundles => Path.Combine(Root, "bundles");

    public string Frozen => Path.Combine(Root, "finetune-frozen");

    public string Unfrozen => Path.Combine(Root, "finetune-unfrozen");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    private static void Check(MimProcess.Result result) => Assert.True(result.ExitCode == 0, result.StdOut + result.StdErr);
}
