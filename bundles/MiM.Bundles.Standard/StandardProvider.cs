using MiM.Bundles.Contracts.Bundles;

namespace MiM.Bundles.Standard;

/// <summary>The provider of the built-in kinds: <see cref="StandardKinds.Encoder"/>, <see cref="StandardKinds.SegmentationHead"/>, <see cref="StandardKinds.ClassificationHead"/>.</summary>
public sealed class StandardProvider : IBundleProvider
{
    /// <inheritdoc/>
    public IReadOnlyCollection<string> Kinds { get; } = [StandardKinds.Encoder, StandardKinds.SegmentationHead, StandardKinds.ClassificationHead];

    /// <inheritdoc/>
    public BundleDescription Describe(BundleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<BundleProblem>();
        var definition = NetworkDefinition.Read(context.Inference, problems);
        if (definition is null)
        {
            return new BundleDescription([], problems);
        }

        if (context.Kind == StandardKinds.Encoder && definition.EmbeddedEncoder)
        {
            problems.Add(new("configs/inference.json", "network_def.encoder", "an encoder bundle does not embed another encoder"));
        }

        return new BundleDescription(ExpectedWeightsBuilder.For(context.Kind, definition), problems);
    }

    /// <inheritdoc/>
    public IBundle Load(BundleContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<BundleProblem>();
        var definition = NetworkDefinition.Read(context.Inference, problems)
            ?? throw new BundleLoadException(string.Join("; ", problems));
        return context.Kind switch
        {
            StandardKinds.Encoder => new EncoderBundle(context, definition),
            StandardKinds.SegmentationHead => new SegmentationBundle(context, definition),
            StandardKinds.ClassificationHead => new ClassificationBundle(context, definition),
            _ => throw new BundleLoadException($"\"{context.Kind}\" is not a built-in kind"),
        };
    }
}
