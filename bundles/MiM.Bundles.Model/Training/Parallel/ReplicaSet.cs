using MiM.Bundles.Model.Numerics;
using MiM.Bundles.Model.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Parallel;

/// <summary>
/// The master network (on the first device, the only one with an optimizer) and one replica per further device, each
/// holding its own copy of the master's parameters and buffers. After the replicas' backward passes,
/// <see cref="ReduceGradients"/> adds their gradients into the master's; after the optimizer step,
/// <see cref="Broadcast"/> copies the master's values back out. Disposing the set disposes the replicas, not the master.
/// </summary>
public sealed class ReplicaSet : IDisposable
{
    private readonly List<MimPretrainNetwork> _replicas;

    /// <summary>Creates one replica per device after the first and copies the master's values into them.</summary>
    /// <param name="master">The trained network, already on <paramref name="devices"/>[0].</param>
    /// <param name="devices">The devices, master first; "cpu" may repeat (tests).</param>
    public ReplicaSet(MimPretrainNetwork master, IReadOnlyList<Device> devices)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(devices);
        if (devices.Count == 0)
        {
            throw new ArgumentException("At least one device is needed.", nameof(devices));
        }

        Master = master;
        Devices = devices;
        _replicas = [];
        foreach (var device in devices.Skip(1))
        {
            var replica = new MimPretrainNetwork(master.Config);
            replica.to(device);
            _replicas.Add(replica);
        }

        Broadcast();
    }

    /// <summary>The network on the first device, which the optimizer updates.</summary>
    public MimPretrainNetwork Master { get; }

    /// <summary>The devices, master first.</summary>
    public IReadOnlyList<Device> Devices { get; }

    /// <summary>The network on device <paramref name="index"/> (0 = the master).</summary>
    public MimPretrainNetwork this[int index] => index == 0 ? Master : _replicas[index - 1];

    /// <summary>Number of devices (master included).</summary>
    public int Count => _replicas.Count + 1;

    /// <summary>Copies the master's parameters and buffers into every replica and gives the replicas the master's train/eval mode.</summary>
    public void Broadcast()
    {
        using var noGrad = no_grad();
        var source = Named(Master);
        var sourceBuffers = NamedBuffers(Master);
        foreach (var replica in _replicas)
        {
            CopyInto(source, Named(replica));
            CopyInto(sourceBuffers, NamedBuffers(replica));
            if (Master.training)
            {
                replica.train();
            }
            else
            {
                replica.eval();
            }
        }
    }

    /// <summary>Adds each replica's parameter gradients into the master's (moved to the master's device).</summary>
    public void ReduceGradients()
    {
        using var noGrad = no_grad();
        var master = Master.parameters().ToList();
        foreach (var replica in _replicas)
        {
            var parameters = replica.parameters().ToList();
            for (var i = 0; i < master.Count; i++)
            {
                using var grad = parameters[i].grad;
                if (grad is null)
                {
                    continue;
                }

                using var moved = grad.to(master[i].device);
                if (master[i].grad is { } existing)
                {
                    using (existing)
                    {
                        existing.add_(moved, CachedScalars.One);
                    }
                }
                else
                {
                    master[i].grad = moved.clone();
                }
            }
        }
    }

    /// <summary>Clears the gradients of the master and every replica.</summary>
    public void ZeroGrad()
    {
        Master.zero_grad();
        foreach (var replica in _replicas)
        {
            replica.zero_grad();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var replica in _replicas)
        {
            replica.Dispose();
        }

        _replicas.Clear();
    }

    private static List<(string Name, Tensor Value)> Named(MimPretrainNetwork network) =>
        network.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();

    private static List<(string Name, Tensor Value)> NamedBuffers(MimPretrainNetwork network) =>
        network.named_buffers().Select(p => (p.name, p.buffer)).ToList();

    private static void CopyInto(List<(string Name, Tensor Value)> source, List<(string Name, Tensor Value)> target)
    {
        for (var i = 0; i < source.Count; i++)
        {
            if (source[i].Name != target[i].Name)
            {
                throw new InvalidOperationException($"Replica parameter '{target[i].Name}' does not match master parameter '{source[i].Name}'.");
            }

            target[i].Value.copy_(source[i].Value);
        }
    }
}
