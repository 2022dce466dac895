using System.Diagnostics;
using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Contracts.Results;
using MiM.Bundles.Model.Networks.Downstream;
using MiM.Bundles.Model.PostProcessing;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>The built-in segmentation head: preprocessing, windows (shared or own encoder), argmax, inverse transforms, post-processing; logs where each volume's time went.</summary>
internal sealed partial class SegmentationBundle : ISegmentationBundle
{
    private readonly BundleContext _context;
    private readonly NetworkDefinition _definition;
    private readonly MimSegmentationNetwork _network;
    private readonly SegmentationDecoder _decoder;
    private readonly Preprocessing _preprocessing;
    private readonly bool _keepLargest;
    private readonly Device _device;

    public SegmentationBundle(BundleContext context, NetworkDefinition definition)
    {
        _context = context;
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

        var clock = Stopwatch.StartNew();
        var lapStart = TimeSpan.Zero;
        TimeSpan Lap()
        {
            var lap = clock.Elapsed - lapStart;
            lapStart = clock.Elapsed;
            return lap;
        }

        var (tensor, transformed) = _preprocessing.Apply(input.Volume);
        var transforms = Lap();
        var times = new WindowTimes();
        TimeSpan windows;
        ushort[] labels;
        using (tensor)
        using (var scope = NewDisposeScope())
        {
            var logits = HeadWindows.Infer(tensor, _definition, _network.Backbone, input.Features, _device, _decoder.Decode, times);
            windows = Lap();
            // The argmax of the logits: the same labels as of their softmax, without a second volume-sized tensor.
            labels = ArgmaxLabels.FromProbabilities(logits[0]);
        }

        var argmax = Lap();
        var result = transformed.Inverse.Invert(new LabelMap(transformed.Sample.Geometry, labels));
        var inverse = Lap();
        if (_keepLargest)
        {
            LargestComponentFilter.KeepLargest(result.Voxels, result.Size);
        }

        var post = Lap();
        LogSegmented(
            _context.Logger, _context.Id, _context.Version, input.Volume.Size, clock.Elapsed.TotalSeconds, transforms.TotalSeconds, times.Encoder.TotalSeconds,
            times.Head.TotalSeconds, (windows - times.Encoder - times.Head).TotalSeconds, argmax.TotalSeconds, inverse.TotalSeconds, post.TotalSeconds);
        return Task.FromResult(result);
    }

    // One line per volume: where the bundle's time went (bench/serve/latency.sh reads it).
    [LoggerMessage(Level = LogLevel.Information, Message = "Segmentation {Id} {Version} of {Size}: {Total:F3} s = transforms {Transforms:F3} + encoder {Encoder:F3} + head {Head:F3} + windows {Windows:F3} + argmax {Argmax:F3} + inverse transforms {Inverse:F3} + post-processing {Post:F3} s")]
    private static partial void LogSegmented(ILogger logger, string id, string version, GridSize size, double total, double transforms, double encoder, double head, double windows, double argmax, double inverse, double post);

    public void Dispose() => _network.Dispose();
}
