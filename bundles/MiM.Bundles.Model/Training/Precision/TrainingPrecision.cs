using MiM.Bundles.Model.Masking;
using MiM.Bundles.Model.Networks;
using static TorchSharp.torch;

namespace MiM.Bundles.Model.Training.Precision;

/// <summary>
/// How a training step computes: fp32 throughout, or a bf16/fp16 copy of the network (with an fp16 loss scaler)
/// whose gradients update the fp32 master (<see cref="LowPrecisionShadow"/>). The loop calls the same four methods
/// in every mode, so fp32 runs are exactly what they were before mixed precision existed.
/// </summary>
public sealed class TrainingPrecision : IDisposable
{
    private readonly LowPrecisionShadow? _shadow;
    private readonly DynamicLossScaler? _scaler;

    private TrainingPrecision(MimPretrainNetwork master, LowPrecisionShadow? shadow, DynamicLossScaler? scaler)
    {
        ComputeNetwork = shadow?.Network ?? master;
        _shadow = shadow;
        _scaler = scaler;
    }

    /// <summary>The network that runs forward and backward (the master itself in fp32).</summary>
    public MimPretrainNetwork ComputeNetwork { get; }

    /// <summary>Optimiser steps skipped because fp16 gradients overflowed.</summary>
    public long SkippedSteps => _scaler?.SkippedSteps ?? 0;

    /// <summary>The mode for a recipe's <c>precision</c> ("fp32", "bf16", "fp16").</summary>
    /// <exception cref="NotSupportedException">bf16/fp16 without a CUDA device, or across several devices.</exception>
    public static TrainingPrecision Create(string precision, MimPretrainNetwork master, Device device, int deviceCount)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(device);
        if (precision == "fp32")
        {
            return new TrainingPrecision(master, null, null);
        }

        if (deviceCount > 1)
        {
            throw new NotSupportedException($"precision '{precision}' with several devices is not implemented; use fp32 or one device.");
        }

        if (device.type != TorchSharp.DeviceType.CUDA)
        {
            // libtorch 2.10's CPU bf16 kernels gave intermittently wrong gradients (norms of 1e8 against 0.15 in fp32)
            // in this project's tests, and its CPU kernels lack fp16 convolutions.
            throw new NotSupportedException($"precision '{precision}' needs a CUDA device; on the CPU use fp32.");
        }

        var dtype = precision == "bf16" ? ScalarType.BFloat16 : ScalarType.Float16;
        return ForShadow(master, dtype, precision == "fp16" ? new DynamicLossScaler() : null);
    }

    /// <summary>A shadow of any element type, for tests of the mechanism on the CPU (e.g. float64).</summary>
    internal static TrainingPrecision ForShadow(MimPretrainNetwork master, ScalarType dtype, DynamicLossScaler? scaler) =>
        new(master, new LowPrecisionShadow(master, dtype), scaler);

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

    /// <inheritdoc/>
    public void Dispose() => _shadow?.Dispose();
}
