namespace MiM.Bundles.Contracts.Bundles;

/// <summary>One reason a bundle cannot be served, naming the file and the field it concerns.</summary>
/// <param name="File">The file, relative to the bundle folder, e.g. "configs/metadata.json".</param>
/// <param name="Field">The field within the file, as a JSON path ("network_data_format.outputs.pred.channel_def.1"), or a tensor name.</param>
/// <param name="Message">What is wrong and, where known, what was expected.</param>
public sealed record BundleProblem(string File, string Field, string Message)
{
    /// <inheritdoc/>
    public override string ToString() => string.IsNullOrEmpty(Field) ? $"{File}: {Message}" : $"{File}: {Field}: {Message}";
}
