using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Precision;

/// <summary>
/// fp16 loss scaling as PyTorch's GradScaler does it: multiply the loss so small gradients survive fp16, divide the
/// gradients back before the optimiser step, skip the step and halve the scale when a gradient overflowed, and
/// double the scale after a run of clean steps.
/// </summary>
public sealed class DynamicLossScaler(double initialScale = 65536, double growthFactor = 2, double backoffFactor = 0.5, int growthInterval = 2000)
{
    private int _cleanSteps;

    /// <summary>The factor losses are multiplied by now.</summary>
    public double Scale { get; private set; } = initialScale;

    /// <summary>Optimiser steps skipped because a gradient was not finite.</summary>
    public long SkippedSteps { get; private set; }

    /// <summary>The loss multiplied by the current scale, for backward.</summary>
    public Tensor ScaleLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        using var scale = Scale.ToScalar();
        return loss.mul(scale);
    }

    /// <summary>
    /// Divides every gradient by the scale and reports whether all are finite. When this returns false the caller
    /// must skip the optimiser step; the scale has already been reduced.
    /// </summary>
    public bool UnscaleAndUpdate(IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var finite = true;
        using var scale = Scale.ToScalar();
        using (no_grad())
        {
            foreach (var parameter in parameters)
            {
                var grad = parameter.grad;
                if (grad is null)
                {
                    continue;
                }

                grad.div_(scale);
                if (finite && !grad.isfinite().all().item<bool>())
                {
                    finite = false;
                }
            }
        }

        if (finite)
        {
            if (++_cleanSteps >= growthInterval)
            {
                Scale *= growthFactor;
                _cleanSteps = 0;
            }
        }
        else
        {
            Scale *= backoffFactor;
            _cleanSteps = 0;
            SkippedSteps++;
        }

        return finite;
    }
}
