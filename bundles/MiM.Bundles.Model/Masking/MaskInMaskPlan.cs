namespace MiM.Bundles.Model.Masking;

/// <summary>Every random choice of one step's sampling, as indices; the sampler turns it into tensors.</summary>
internal sealed record MaskInMaskPlan(
    float[] Level1Mask,
    int[] Level2Octants,
    long[][] Level2ParentTokens,
    long[][] Level2MaskGroupTokens,
    CropRegion[] Level2Regions,
    float[] Level2Masks,
    int[] Level3ParentVolume,
    long[] Level3ParentToken,
    CropRegion[] Level3Regions,
    float[] Level3Masks);
