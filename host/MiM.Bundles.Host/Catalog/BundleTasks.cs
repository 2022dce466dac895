namespace MiM.Bundles.Host.Catalog;

/// <summary>The values of metadata.json's <c>task</c> and <c>encoder</c> fields.</summary>
public static class BundleTasks
{
    /// <summary>A shared encoder: volumes in, features out.</summary>
    public const string Encoder = "encoder";

    /// <summary>A segmentation head: label maps out.</summary>
    public const string Segmentation = "segmentation";

    /// <summary>A classification head: class probabilities out.</summary>
    public const string Classification = "classification";

    /// <summary>A head that reads the features of the encoder bundle it requires.</summary>
    public const string SharedEncoder = "shared";

    /// <summary>A head that carries its own encoder (fine-tuned together with it).</summary>
    public const string EmbeddedEncoder = "embedded";

    /// <summary>Every task value.</summary>
    public static IReadOnlyList<string> All { get; } = [Encoder, Segmentation, Classification];
}
