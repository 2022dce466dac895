namespace MiM.Bundles.Standard;

/// <summary>The built-in kinds, their weights files and the feature format the MiM encoder produces.</summary>
public static class StandardKinds
{
    /// <summary>The MiM downstream encoder, shared by heads.</summary>
    public const string Encoder = "mim-encoder";

    /// <summary>A UNETR-style segmentation decoder on the MiM encoder.</summary>
    public const string SegmentationHead = "mim-segmentation-head";

    /// <summary>A pooled linear classifier on the MiM encoder.</summary>
    public const string ClassificationHead = "mim-classification-head";

    /// <summary>The encoder's weights: <c>MimDownstreamEncoder</c>'s state dict (in a head bundle: its embedded encoder).</summary>
    public const string EncoderWeights = "models/encoder.safetensors";

    /// <summary>A head's own weights: its network's state dict without the <c>backbone.</c> entries.</summary>
    public const string HeadWeights = "models/head.safetensors";

    /// <summary>
    /// The features of the MiM encoder: the payload is an <c>IReadOnlyList&lt;torch.Tensor[]&gt;</c>, one entry per
    /// sliding-window batch in the inferer's order, each [stage1, stage2, stage3, tokens, token map, extra] on the device.
    /// </summary>
    public const string FeatureFormat = "mim-hidden-states/1";

    /// <summary>The prefix of the encoder's entries in a head network's state dict.</summary>
    public const string BackbonePrefix = "backbone.";
}
