using MiM.Bundles.Model.Networks;
using MiM.Bundles.Model.Training;
using MiM.Bundles.Model.Training.Parallel;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Tests.Training.Parallel;

[Collection(SerialTorchTests.Name)]
public class ReplicaSetTests
{
    private static readonly PretrainConfig Config = PretrainConfig.Load(RepositoryFiles.Path("configs", "pretrain", "unit.json"));

    [Fact]
    public void Replicas_start_as_copies_and_equal_the_master_exactly_after_a_step_and_broadcast()
    {
        manual_seed(2);
        using var master = new MimPretrainNetwork(Config.Network);
        master.train();
        using var replicas = new ReplicaSet(master, [CPU, CPU, CPU]);
        AssertSameValues(master, replicas[1]);
        AssertSameValues(master, replicas[2]);
        Assert.True(replicas[1].training, "replicas take the master's train mode");

        using var optimizer = AdamWFactory.Create(master, Config.Optimizer);
        using var sample = DataParallelObjectiveTests.Sample();
        var objective = new DataParallelObjective(replicas, Config.Loss, legacyAlignment: false);
        objective.ComputeAndBackward(sample, 0.1);
        replicas.ReduceGradients();
        optimizer.step();

        // Values were copied, not shared: the step moved the master only.
        var moved = master.parameters().Zip(replicas[1].parameters()).Count(p => !p.First.eq(p.Second).all().item<bool>());
        Assert.True(moved > 20, $"only {moved} parameters differ before the broadcast");

        replicas.ZeroGrad();
        replicas.Broadcast();
        AssertSameValues(master, replicas[1]);
        AssertSameValues(master, replicas[2]);
        Assert.All(replicas[1].parameters(), p => Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0));
    }

    private static void AssertSameValues(MimPretrainNetwork master, MimPretrainNetwork replica)
    {
        var expected = master.named_parameters().ToList();
        var actual = replica.named_parameters().ToList();
        Assert.Equal(expected.Select(p => p.name), actual.Select(p => p.name));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].parameter.eq(actual[i].parameter).all().item<bool>(), $"{actual[i].name} differs from the master");
        }
    }
}
