namespace MiM.Bundles.Imaging.Transforms;

/// <summary>A transform that makes exactly one sample of each input.</summary>
public abstract class SingleSampleTransform : ISampleTransform
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public IReadOnlyList<TransformSample> Apply(TransformSample sample, TransformContext context)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(context);
        return [ApplyOne(sample, context)];
    }

    /// <summary>The one output sample; the input is not changed.</summary>
    protected abstract TransformSample ApplyOne(TransformSample sample, TransformContext context);
}
