using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Model.Networks.Downstream;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>
/// The built-in classification head: the tokens of every sliding window (shared or own encoder) are averaged, then
/// normalised and classified as the network does for one window; softmax gives the probabilities.
/// </summary>
internal sealed class ClassificationBundle : IClassificationBundle
{
    private readonly BundleContext _context;
    private readonly NetworkDefinition _definition;
    private readonly MimClassificationNetwork _network;
    private readonly nn.Module<Tensor, Tensor> _norm;
    private readonly nn.Module<Tensor, Tensor> _head;
    private readonly Preprocessing _preprocessing;
    private readonly IReadOnlyList<CodedConcept> _classes;
    private readonly Device _device;

    public ClassificationBundle(BundleContext context, NetworkDefinition definition)
    {
        _context = context;
        _definition = definition;
        _preprocessing = new Preprocessing(context.Inference);
        _device = torch.device(context.Device);
        _classes = ChannelDefinitions.Classes(context.Folder);
        _network = new MimClassificationNetwork(definition.Network, definition.Options);
        try
        {
            StandardNetworks.FillHead(_network, context.Folder, definition.EmbeddedEncoder);
            _network.to(_device);
            _network.eval();
            var children = _network.named_children().ToDictionary(c => c.name, c => c.module);
            _norm = (nn.Module<Tensor, Tensor>)children["fc_norm"];
            _head = (nn.Module<Tensor, Tensor>)children["head"];
        }
        catch
        {
            _network.Dispose();
            throw;
        }
    }

    public BundleMemory EstimateMemory(GridSize input) => MemoryEstimate.For(_network, _definition, input);

    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<ClassificationResult> ClassifyAsync(BundleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        SharedFeatures.Check(_definition, input);
        var (tensor, _) = _preprocessing.Apply(input.Volume);
        double[] probabilities;
        using (tensor)
        using (var scope = NewDisposeScope())
        {
            var pooled = new List<Tensor>();
            using var output = HeadWindows.Infer(tensor, _definition, _network.Backbone, input.Features, _device, (batch, hidden) =>
            {
                pooled.Add(hidden[3].mean([1]).detach().cpu().DetachFromDisposeScope());
                return zeros([batch.shape[0], 1, batch.shape[2], batch.shape[3], batch.shape[4]]);
            });
            using var all = cat([.. pooled], 0);
            foreach (var t in pooled)
            {
                t.Dispose();
            }

            using var noGrad = no_grad();
            var logits = _head.forward(_norm.forward(all.mean([0], keepdim: true).to(_device)));
            probabilities = nn.functional.softmax(logits[0], 0).cpu().to(float64).data<double>().ToArray();
        }

        var classes = probabilities.Select((p, i) => new ClassProbability(i < _classes.Count ? _classes[i] : new CodedConcept($"{i}", "99MIM", $"class {i}"), p)).ToList();
        return Task.FromResult(new ClassificationResult(_context.Id, _context.Version, classes));
    }

    public void Dispose() => _network.Dispose();
}
