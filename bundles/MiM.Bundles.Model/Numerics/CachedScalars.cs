using TorchSharp;

namespace MiM.Bundles.Model.Numerics;

/// <summary>
/// Scalars that live for the whole process. TorchSharp 0.107 hands a temporary Scalar's native handle to libtorch
/// without keeping the managed object alive, so the finalizer can free it during the call; hot paths pass these.
/// </summary>
public static class CachedScalars
{
    /// <summary>1.</summary>
    public static Scalar One { get; } = 1.0.ToScalar();

    /// <summary>-1.</summary>
    public static Scalar MinusOne { get; } = (-1.0).ToScalar();

    /// <summary>1 as an integer (the alpha of an add on integer tensors must be integral).</summary>
    public static Scalar IntegerOne { get; } = 1L.ToScalar();

    /// <summary>0.</summary>
    public static Scalar Zero { get; } = 0.0.ToScalar();

    /// <summary>0 as an integer (the start of an integer arange).</summary>
    public static Scalar IntegerZero { get; } = 0L.ToScalar();

    /// <summary>2 (the exponent of a square: TorchSharp's square() passes a temporary 2).</summary>
    public static Scalar Two { get; } = 2.0.ToScalar();
}
