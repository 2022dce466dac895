using Microsoft.Extensions.Logging;
using MiM.Bundles.Contracts.Bundles;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Model.Networks.Downstream;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>The built-in shared encoder: preprocessing, then the MiM encoder over sliding windows.</summary>
internal sealed partial class EncoderBundle : IEncoderBundle
{
    private readonly BundleContext _context;
    private readonly NetworkDefinition _definition;
    private readonly MimDownstreamEncoder _encoder;
    private readonly Preprocessing _preprocessing;
    private readonly Device _device;

    public EncoderBundle(BundleContext context, NetworkDefinition definition)
    {
        _context = context;
        _definition = definition;
        _preprocessing = new Preprocessing(context.Inference);
        _device = torch.device(context.Device);
        _encoder = new MimDownstreamEncoder(definition.Network, definition.Options);
        try
        {
            StandardNetworks.Fill(_encoder, context.PathOf(StandardKinds.EncoderWeights), "", _ => true);
            _encoder.to(_device);
        }
        catch
        {
            _encoder.Dispose();
            throw;
        }
    }

    public string FeatureFormat => StandardKinds.FeatureFormat;

    public BundleMemory EstimateMemory(GridSize input) => MemoryEstimate.For(_encoder, _definition, input);

    public Task WarmUpAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IEncodedFeatures> EncodeAsync(Volume volume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(volume);
        cancellationToken.ThrowIfCancellationRequested();
        var (input, _) = _preprocessing.Apply(volume);
        using (input)
        {
            var windows = WindowedEncoder.Encode(_encoder, input, _definition.Window, _device);
            LogEncoded(_context.Logger, _context.Id, windows.Count);
            return Task.FromResult<IEncodedFeatures>(new MimHiddenStates(_context.Id, _context.Version, _context.Device, windows));
        }
    }

    public void Dispose() => _encoder.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Encoder {Id}: {Batches} window batches encoded")]
    private static partial void LogEncoded(ILogger logger, string id, int batches);
}
