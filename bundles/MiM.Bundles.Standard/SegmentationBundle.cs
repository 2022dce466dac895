using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.PostProcessing;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>The built-in segmentation head: preprocessing, windows (shared or own encoder), softmax-argmax, inverse transforms, post-processing.</summary>
internal sealed class SegmentationBundle : ISegmentationBundle
{
    private readonly NetworkDefinition _definition;
    private readonly MimSegmentationNetwork _network;
    private readonly SegmentationDecoder _decoder;
    private readonly Preprocessing _preprocessing;
    private readonly bool _keepLargest;
    private readonly Device _device;

    public SegmentationBundle(BundleContext context, NetworkDefinition definition)
    {
        _definition = definition;
        _preprocessing = new Preprocessing(context.Inference);
        _keepLargest = PostProcessingSteps.Has(context.Inference, "KeepLargestConnectedComponent");
        _device = torch.device(context.Device);
        Segments = ChannelDefinitions.Segments(context.Folder);
        _network = new MimSegmentationNetwork(definition.Network, definition.Options);
        try
        {
            StandardNetworks.FillHead(_network, context.Folder, definition.EmbeddedEncoder);
            _network.to(_device);
            _network.eval();
            _decoder = new SegmentationDecoder(_network);
        }
        catch
        {
            _network.Dispose();
            throw;
        }
    }

    public IReadOnlyList<SegmentDescription> Segments { get; }

    public BundleMemory EstimateMemory(GridSize input) => MemoryEstimate.For(_network, _definition, input);

    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<LabelMap> SegmentAsync(BundleInput input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        cancellationToken.ThrowIfCancellationRequested();
        SharedFeatures.Check(_definition, input);

        var (tensor, transformed) = _preprocessing.Apply(input.Volume);
        ushort[] labels;
        using (tensor)
        using (var scope = NewDisposeScope())
        {
            var logits = HeadWindows.Infer(tensor, _definition, _network.Backbone, input.Features, _device, _decoder.Decode);
            labels = ArgmaxLabels.FromProbabilities(nn.functional.softmax(logits[0], 0));
        }

        var result = transformed.Inverse.Invert(new LabelMap(transformed.Sample.Geometry, labels));
        if (_keepLargest)
        {
            LargestComponentFilter.KeepLargest(result.Voxels, result.Size);
        }

        return Task.FromResult(result);
    }

    public void Dispose() => _network.Dispose();
}
