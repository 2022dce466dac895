using System.Text.Json.Serialization;

namespace MiM.Bundles.Model.Configuration;

/// <summary>
/// Sizes of the hybrid conv+ViT backbone and its MAE decoder (MIM_SPEC.md section 4). Four stride-2 patch
/// embeddings make every token cover 16³ voxels, so the input size must be a multiple of 16.
/// </summary>
public sealed record MimNetworkConfig
{
    /// <summary>Voxels covered by one token along each axis (2·2·2·2).</summary>
    public const int TokenSize = 16;

    /// <summary>Network input edge S (the input is S³).</summary>
    public int InputSize { get; init; } = 96;

    /// <summary>Input channels (1 for CT).</summary>
    public int InChannels { get; init; } = 1;

    /// <summary>Channels of the four stages (PE1..PE4).</summary>
    public IReadOnlyList<int> EmbedDims { get; init; } = [48, 96, 192, 384];

    /// <summary>Blocks per stage: three conv stages, then the ViT stage.</summary>
    public IReadOnlyList<int> Depths { get; init; } = [2, 2, 2, 11];

    /// <summary>Attention heads of the encoder's ViT blocks.</summary>
    public int NumHeads { get; init; } = 12;

    /// <summary>Decoder width.</summary>
    public int DecoderDim { get; init; } = 576;

    /// <summary>Decoder ViT blocks.</summary>
    public int DecoderDepth { get; init; } = 8;

    /// <summary>Decoder attention heads.</summary>
    public int DecoderHeads { get; init; } = 16;

    /// <summary>MLP hidden width as a multiple of the block width (conv stages, ViT and decoder alike).</summary>
    public int MlpRatio { get; init; } = 4;

    /// <summary>Tokens per axis, G = S / 16.</summary>
    [JsonIgnore]
    public int GridSize => InputSize / TokenSize;

    /// <summary>Tokens per volume, T = G³.</summary>
    [JsonIgnore]
    public int TokenCount => GridSize * GridSize * GridSize;

    /// <summary>Values the decoder predicts per token (16³ · channels).</summary>
    [JsonIgnore]
    public int VoxelsPerToken => TokenSize * TokenSize * TokenSize * InChannels;

    /// <summary>The paper's full size: 96³ input, 71,047,696 trainable parameters.</summary>
    public static MimNetworkConfig Full { get; } = new();

    /// <summary>MIM_SPEC.md section 8 "unit": the smallest network the tests train.</summary>
    public static MimNetworkConfig Unit { get; } = new()
    {
        InputSize = 32,
        EmbedDims = [12, 24, 48, 96],
        Depths = [1, 1, 1, 2],
        NumHeads = 3,
        DecoderDim = 96,
        DecoderDepth = 1,
        DecoderHeads = 4,
    };

    /// <summary>MIM_SPEC.md section 8 "smoke": unit widths at 64³.</summary>
    public static MimNetworkConfig Smoke { get; } = Unit with { InputSize = 64 };

    /// <summary>The configuration of the authors' reference outputs in shared/fixtures/mim_reference.</summary>
    public static MimNetworkConfig ReferenceTiny { get; } = new()
    {
        InputSize = 64,
        EmbedDims = [6, 12, 24, 48],
        Depths = [1, 1, 1, 2],
        NumHeads = 2,
        DecoderDim = 48,
        DecoderDepth = 1,
        DecoderHeads = 3,
    };

    /// <summary>Throws with every problem found when the sizes cannot build a network.</summary>
    /// <exception cref="ArgumentException">The configuration is inconsistent.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (InputSize <= 0 || InputSize % TokenSize != 0)
        {
            problems.Add($"InputSize must be a positive multiple of {TokenSize}, was {InputSize}");
        }

        if (EmbedDims.Count != 4 || Depths.Count != 4)
        {
            problems.Add($"EmbedDims and Depths need 4 entries (3 conv stages + ViT), had {EmbedDims.Count} and {Depths.Count}");
        }
        else
        {
            if (EmbedDims[3] % NumHeads != 0)
            {
                problems.Add($"EmbedDims[3] ({EmbedDims[3]}) must be divisible by NumHeads ({NumHeads})");
            }

            if (EmbedDims[3] % 6 != 0)
            {
                problems.Add($"EmbedDims[3] ({EmbedDims[3]}) must be divisible by 6 for the 3D sin-cos embedding");
            }
        }

        if (DecoderDim % DecoderHeads != 0 || DecoderDim % 6 != 0)
        {
            problems.Add($"DecoderDim ({DecoderDim}) must be divisible by DecoderHeads ({DecoderHeads}) and by 6");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid MiM network configuration: " + string.Join("; ", problems) + ".");
        }
    }
}
