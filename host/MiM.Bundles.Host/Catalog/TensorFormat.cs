namespace MiM.Bundles.Host.Catalog;

/// <summary>One input or output of <c>network_data_format</c>, with MONAI's field names.</summary>
public sealed record TensorFormat
{
    /// <summary>"image" (a volume or a label map) or "probabilities" (class scores).</summary>
    public string? Type { get; init; }

    /// <summary>"hounsfield" (CT input), "segmentation" (label map) or "classification".</summary>
    public string? Format { get; init; }

    /// <summary>The modality of an input, e.g. "CT".</summary>
    public string? Modality { get; init; }

    /// <summary>Channel count.</summary>
    public int? NumChannels { get; init; }

    /// <summary>The window size the network sees, e.g. [96, 96, 96].</summary>
    public IReadOnlyList<int>? SpatialShape { get; init; }

    /// <summary>Element type, e.g. "float32".</summary>
    public string? Dtype { get; init; }

    /// <summary>Value range [min, max] of the tensor.</summary>
    public IReadOnlyList<double>? ValueRange { get; init; }

    /// <summary>Whether the network sees patches (sliding windows) rather than whole volumes.</summary>
    public bool? IsPatchData { get; init; }

    /// <summary>Voxel spacing in millimetres the network expects, if resampled.</summary>
    public IReadOnlyList<double>? Pixdim { get; init; }

    /// <summary>Channel index ("0", "1", …) → what the channel means.</summary>
    public IReadOnlyDictionary<string, ChannelDefinition>? ChannelDef { get; init; }
}

/// <summary>MONAI's <c>network_data_format</c>: named inputs and outputs.</summary>
public sealed record NetworkDataFormat
{
    /// <summary>Inputs by name, usually "image".</summary>
    public IReadOnlyDictionary<string, TensorFormat>? Inputs { get; init; }

    /// <summary>Outputs by name, usually "pred".</summary>
    public IReadOnlyDictionary<string, TensorFormat>? Outputs { get; init; }
}
