using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Precision;

/// <summary>
/// How a training step computes: fp32 throughout, or a bf16/fp16 copy of the network (with an fp16 loss scaler)
/// whose gradients update the fp32 master (<see cref="LowPrecisionShadow{TNetwork}"/>). The loop calls the same four methods
/// in every mode, so fp32 runs are exactly what they were before mixed precision existed.
/// </summary>
/// <typeparam name="TNetwork">The network type (the pre-training or the segmentation network).</typeparam>
public sealed class TrainingPrecision<TNetwork> : IDisposable
    where TNetwork : nn.Module
{
    private readonly LowPrecisionShadow<TNetwork>? _shadow;
    private readonly DynamicLossScaler? _scaler;

    /// <summary>The mode for a recipe's <c>precision</c> ("fp32", "bf16", "fp16").</summary>
    /// <param name="precision">"fp32", "bf16" or "fp16".</param>
    /// <param name="master">The fp32 network the optimiser updates.</param>
    /// <param name="createCopy">Makes a new network of the master's architecture, for the low-precision copy.</param>
    /// <param name="device">The device the master is on.</param>
    /// <param name="deviceCount">Devices the run uses.</param>
    /// <exception cref="NotSupportedException">fp16 without a CUDA device, or bf16/fp16 across several devices.</exception>
    /// <exception cref="Numerics.KernelSelfCheckException">bf16 on a CPU whose convolutions are wrong in bf16.</exception>
    public TrainingPrecision(string precision, TNetwork master, Func<TNetwork> createCopy, Device device, int deviceCount)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(createCopy);
        ArgumentNullException.ThrowIfNull(device);
        ComputeNetwork = master;
        if (precision == "fp32")
        {
            return;
        }

        if (deviceCount > 1)
        {
            throw new NotSupportedException($"precision '{precision}' with several devices is not implemented; use fp32 or one device.");
        }

        if (device.type != DeviceType.CUDA)
        {
            if (precision != "bf16")
            {
                // libtorch's CPU kernels lack fp16 convolutions.
                throw new NotSupportedException($"precision '{precision}' needs a CUDA device; on the CPU use fp32 or bf16.");
            }

            // The wrong bf16 gradients once seen on the CPU came from libtorch's broken oneDNN convolutions (issue 11);
            // bf16 trains on the CPU only where the paths the fp32 self-check chose are also right in bf16.
            Numerics.CpuKernelGuard.EnsureBf16Passed();
        }

        _shadow = new LowPrecisionShadow<TNetwork>(master, createCopy, precision == "bf16" ? ScalarType.BFloat16 : ScalarType.Float16);
        _scaler = precision == "fp16" ? new DynamicLossScaler() : null;
        ComputeNetwork = _shadow.Network;
    }

    /// <summary>A shadow of any element type, for tests of the mechanism on the CPU (e.g. float64).</summary>
    internal TrainingPrecision(TNetwork master, Func<TNetwork> createCopy, ScalarType dtype, DynamicLossScaler? scaler)
    {
        _shadow = new LowPrecisionShadow<TNetwork>(master, createCopy, dtype);
        _scaler = scaler;
        ComputeNetwork = _shadow.Network;
    }

    /// <summary>The network that runs forward and backward (the master itself in fp32).</summary>
    public TNetwork ComputeNetwork { get; }

    /// <summary>Optimiser steps skipped because fp16 gradients overflowed.</summary>
    public long SkippedSteps => _scaler?.SkippedSteps ?? 0;

    /// <summary>Called before the first micro-batch of an optimiser step.</summary>
    public void BeginStep() => _shadow?.Pull();

    /// <summary>The sample in the compute network's element type (inputs and masks).</summary>
    public MaskInMaskSample Prepare(MaskInMaskSample sample)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (_shadow is null)
        {
            return sample;
        }

        var dtype = _shadow.DType;
        var cast = sample.Convert(t => t.to(dtype));
        sample.Dispose();
        return cast;
    }

    /// <summary>A network input in the compute network's element type (the same tensor in fp32).</summary>
    public Tensor Prepare(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return _shadow is null ? input : input.to(_shadow.DType);
    }

    /// <summary>Backward of one micro-batch's (already divided) loss, scaled in fp16.</summary>
    public void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (_scaler is null)
        {
            loss.backward();
            return;
        }

        using var scaled = _scaler.ScaleLoss(loss);
        scaled.backward();
    }

    /// <summary>
    /// Called after the last micro-batch: hands low-precision gradients to the master. False when fp16 gradients
    /// overflowed: the caller skips the optimiser step (the scale is already reduced).
    /// </summary>
    public bool CompleteBackward()
    {
        if (_shadow is null)
        {
            return true;
        }

        if (_scaler is not null && !_scaler.UnscaleAndUpdate(_shadow.Parameters))
        {
            return false;
        }

        _shadow.PushGradients();
        return true;
    }

    /// <summary>
    /// Ends an optimiser step after the last micro-batch: <see cref="CompleteBackward"/>, the update unless fp16 gradients
    /// overflowed, and cleared gradients. False when the update was skipped.
    /// </summary>
    /// <param name="optimizer">The optimiser of the master weights.</param>
    /// <param name="clipNorm">When set, the master gradients' global L2 norm is scaled down to it (after unscaling) before the update.</param>
    public bool StepOptimizer(optim.Optimizer optimizer, double? clipNorm = null)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        // Tensors the update creates (gradient handles, temporaries) are disposed here, not left to the finalizer.
        using var scope = NewDisposeScope();
        var applied = CompleteBackward();
        if (applied)
        {
            if (clipNorm is { } maxNorm)
            {
                GradientClipping.ClipNorm(optimizer.parameters(), maxNorm);
            }

            optimizer.step();
        }

        optimizer.zero_grad();
        return applied;
    }

    /// <inheritdoc/>
    public void Dispose() => _shadow?.Dispose();
}
