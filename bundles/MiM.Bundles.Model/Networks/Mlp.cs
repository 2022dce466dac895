using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Networks;

/// <summary>
/// Two Linear layers <c>fc1</c>/<c>fc2</c> with an exact GELU between: the ViT blocks' MLP and, with hidden = in = out,
/// the alignment projectors (<c>aggregate_*</c>).
/// </summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    [ComponentName(Name = "fc1")]
    private readonly Linear _fc1;
    [ComponentName(Name = "fc2")]
    private readonly Linear _fc2;

    /// <summary>An MLP in → hidden → in.</summary>
    /// <param name="features">Input and output width.</param>
    /// <param name="hidden">Hidden width.</param>
    public Mlp(int features, int hidden) : base(nameof(Mlp))
    {
        _fc1 = nn.Linear(features, hidden);
        _fc2 = nn.Linear(hidden, features);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
    }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        using var hidden = _fc1.forward(input);
        using var activated = nn.functional.gelu(hidden);
        return _fc2.forward(activated);
    }
}
