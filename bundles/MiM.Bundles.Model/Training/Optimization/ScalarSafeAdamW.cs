using MiM.Bundles.Model.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Optimization;

/// <summary>
/// TorchSharp's AdamW (same update, same state and checkpoint format) whose step keeps every Scalar it hands to
/// libtorch alive until the call has returned. TorchSharp 0.107's own step passes temporaries (<c>alpha: 1 − β₁</c>,
/// <c>value: 1 − β₂</c>) whose finalizer can free the native value while libtorch reads it: under frequent
/// garbage collections that crashed training with "Expected false to be true … toFloat" (Scalar.h:140).
/// Float32 CPU parameters are updated in one fused pass (<see cref="FusedAdamWUpdate"/>, its writes counted by
/// <see cref="VersionCounter"/>); others op by op.
/// AMSGrad and maximize are not supported (the recipes use neither).
/// </summary>
public sealed class ScalarSafeAdamW : AdamW
{
    /// <summary>An AdamW over <paramref name="groups"/> (each group's options override the defaults).</summary>
    public ScalarSafeAdamW(IEnumerable<ParamGroup> groups, double learningRate, double beta1, double beta2, double weightDecay)
        : base(groups, learningRate, beta1, beta2, weight_decay: weightDecay)
    {
    }

    /// <summary>False makes every parameter take the op-by-op path (tests compare the two).</summary>
    internal bool FusedUpdate { get; init; } = true;

    /// <inheritdoc/>
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(
        group =>
        {
            var options = (Options)group.Options;
            if (options.amsgrad == true || options.maximize == true)
            {
                throw new NotSupportedException("AMSGrad and maximize are not supported by this AdamW.");
            }

            var (beta1, beta2, eps) = (options.beta1!.Value, options.beta2!.Value, options.eps!.Value);
            var (learningRate, weightDecay) = (options.LearningRate!.Value, options.weight_decay!.Value);
            using var decay = (1 - (learningRate * weightDecay)).ToScalar();
            using var firstMomentum = beta1.ToScalar();
            using var firstWeight = (1 - beta1).ToScalar();
            using var secondMomentum = beta2.ToScalar();
            using var secondWeight = (1 - beta2).ToScalar();
            using var epsilon = eps.ToScalar();
            foreach (var parameter in group.Parameters)
            {
                using var gradient = parameter.grad;
                if (gradient is null)
                {
                    continue;
                }

                var state = (State)_state[parameter.Handle];
                state.step += 1;
                var firstCorrection = 1 - Math.Pow(beta1, state.step);
                var secondCorrection = 1 - Math.Pow(beta2, state.step);
                if (FusedUpdate && VersionCounter.Available && FusedAdamWUpdate.Supports(parameter, gradient, state.exp_avg, state.exp_avg_sq))
                {
                    FusedAdamWUpdate.Apply(parameter, gradient, state.exp_avg, state.exp_avg_sq, new AdamWCoefficients(
                        (float)(1 - (learningRate * weightDecay)), (float)beta1, (float)(1 - beta1), (float)beta2, (float)(1 - beta2),
                        (float)Math.Sqrt(secondCorrection), (float)eps, (float)(-learningRate / firstCorrection)));

                    // Written through memory: counted as the op-by-op path's in-place ops count it, for autograd's checks.
                    VersionCounter.Bump(parameter);
                    VersionCounter.Bump(state.exp_avg);
                    VersionCounter.Bump(state.exp_avg_sq);
                    continue;
                }

                using var secondScale = Math.Sqrt(secondCorrection).ToScalar();
                using var stepSize = (-learningRate / firstCorrection).ToScalar();

                parameter.mul_(decay);
                state.exp_avg.mul_(firstMomentum).add_(gradient, firstWeight);
                state.exp_avg_sq.mul_(secondMomentum).addcmul_(gradient, gradient, secondWeight);
                using var denominator = state.exp_avg_sq.sqrt();
                denominator.div_(secondScale).add_(epsilon, CachedScalars.One);
                parameter.addcdiv_(state.exp_avg, denominator, stepSize);
            }
        },
        closure);
}
