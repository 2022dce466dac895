using System.Text.Json;
using MiM.Bundles.Contracts.Imaging;
using MiM.Bundles.Imaging.Transforms;
using MiM.Bundles.Model.Data;
using static TorchSharp.torch;

namespace MiM.Bundles.Standard;

/// <summary>The preprocessing pipeline of configs/inference.json, applied to one volume.</summary>
internal sealed class Preprocessing
{
    private readonly TransformPipeline _pipeline;

    public Preprocessing(JsonElement inference)
    {
        var transforms = inference.TryGetProperty("preprocessing", out var p) && p.TryGetProperty("transforms", out var t) ? t.GetRawText() : "[]";
        _pipeline = TransformPipeline.Parse($$"""{"transforms": {{transforms}}}""");
    }

    /// <summary>The transformed volume as a [1, 1, i, j, k] tensor on the CPU, and the inverse that maps results back.</summary>
    public (Tensor Input, TransformedSample Sample) Apply(Volume volume)
    {
        var transformed = _pipeline.Apply(SampleSource.FromVolumes(volume), seed: 0);
        if (transformed.Count != 1)
        {
            throw new InvalidOperationException($"An inference pipeline must give one sample per volume, gave {transformed.Count}.");
        }

        using var image = VolumeTensors.Image(transformed[0].Sample.Image);
        var input = image.reshape(1, 1, image.shape[0], image.shape[1], image.shape[2]);
        return (input, transformed[0]);
    }
}
