namespace MiM.Bundles.Contracts.Bundles;

/// <summary>What a provider found when it read a bundle's configuration without loading weights.</summary>
/// <param name="Weights">Each weights file the network needs, with the tensors it must hold.</param>
/// <param name="Problems">Problems in the configuration the provider could see (bad network_def, unknown options…).</param>
public sealed record BundleDescription(IReadOnlyList<ExpectedWeights> Weights, IReadOnlyList<BundleProblem> Problems)
{
    /// <summary>A description with no weights and the given problems.</summary>
    public static BundleDescription Failed(params BundleProblem[] problems) => new([], problems);
}

/// <summary>The tensors one weights file must hold: exactly these names, with exactly these shapes.</summary>
/// <param name="File">The file, relative to the bundle folder, e.g. "models/encoder.safetensors".</param>
/// <param name="Tensors">Every tensor the network loads from the file.</param>
public sealed record ExpectedWeights(string File, IReadOnlyList<TensorSpec> Tensors);

/// <summary>One named tensor and its shape.</summary>
/// <param name="Name">PyTorch-style parameter name, e.g. "blocks4.0.attn.qkv.weight".</param>
/// <param name="Shape">The dimensions.</param>
public sealed record TensorSpec(string Name, IReadOnlyList<long> Shape)
{
    /// <summary>The shape as PyTorch prints it, e.g. [96, 48, 2, 2, 2].</summary>
    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
