using MiM.Bundles.Model.Training.Optimization;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training;

/// <summary>
/// AdamW with two parameter groups, as the authors' recipe (timm's add_weight_decay): biases and 1-D parameters
/// (LayerNorm) get no weight decay; frozen parameters (the sin-cos position embeddings) are not optimised. The step
/// is <see cref="ScalarSafeAdamW"/>'s (TorchSharp's update without its temporary-Scalar hazard).
/// </summary>
public static class AdamWFactory
{
    /// <summary>Creates the optimiser for the trainable parameters of <paramref name="model"/>.</summary>
    public static OptimizerHelper Create(nn.Module model, OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        var (decay, noDecay) = SplitByDecay(model);
        var groups = new List<AdamW.ParamGroup>
        {
            new(decay, new AdamW.Options { weight_decay = settings.WeightDecay }),
            new(noDecay, new AdamW.Options { weight_decay = 0 }),
        };
        return new ScalarSafeAdamW(groups, settings.LearningRate, settings.Beta1, settings.Beta2, settings.WeightDecay);
    }

    /// <summary>The trainable parameters in each group: decayed (weights of 2 or more dimensions) and not decayed.</summary>
    public static (List<Parameter> Decay, List<Parameter> NoDecay) SplitByDecay(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (!parameter.requires_grad)
            {
                continue;
            }

            if (parameter.dim() <= 1 || name.EndsWith(".bias", StringComparison.Ordinal))
            {
                noDecay.Add(parameter);
            }
            else
            {
                decay.Add(parameter);
            }
        }

        return (decay, noDecay);
    }

    /// <summary>Sets the learning rate of every group (the schedule is applied per step).</summary>
    public static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        foreach (var group in optimizer.ParamGroups)
        {
            group.LearningRate = learningRate;
        }
    }
}
