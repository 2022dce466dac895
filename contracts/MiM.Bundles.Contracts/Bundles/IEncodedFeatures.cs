namespace MiM.Bundles.Contracts.Bundles;

/// <summary>
/// What an encoder made of one volume, handed unchanged from the encoder to each head that shares it. The host never
/// looks inside: <see cref="Payload"/> is the encoder's own representation (for the built-in MiM encoder, TorchSharp
/// tensors left on <see cref="Device"/>), so features reach heads without a copy. Heads check <see cref="Format"/>
/// before casting the payload. Disposing releases the device memory.
/// </summary>
public interface IEncodedFeatures : IDisposable
{
    /// <summary>The feature format, equal to the producing encoder's <see cref="IEncoderBundle.FeatureFormat"/>.</summary>
    string Format { get; }

    /// <summary>The id of the encoder bundle that produced the features.</summary>
    string EncoderId { get; }

    /// <summary>The version of the encoder bundle that produced the features.</summary>
    string EncoderVersion { get; }

    /// <summary>The device the features live on.</summary>
    string Device { get; }

    /// <summary>The encoder's representation of the features; its type is part of <see cref="Format"/>'s definition.</summary>
    object Payload { get; }
}
