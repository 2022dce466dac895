namespace MiM.Bundles.Cli.Commands.Bundles;

/// <summary>The names and files of the built-in kinds that `mim bundle new` writes (the Standard plugin implements them).</summary>
internal static class BuiltInKinds
{
    public const string Encoder = "mim-encoder";
    public const string SegmentationHead = "mim-segmentation-head";
    public const string ClassificationHead = "mim-classification-head";
    public const string EncoderWeights = "models/encoder.safetensors";
    public const string HeadWeights = "models/head.safetensors";
    public const string FeatureFormat = "mim-hidden-states/1";
    public const string BackbonePrefix = "backbone.";
}
