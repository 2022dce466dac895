namespace MiM.Bundles.Contracts.Bundles;

/// <summary>A bundle could not be loaded (weights missing, device unavailable…); the message says why.</summary>
public sealed class BundleLoadException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public BundleLoadException() : this("The bundle could not be loaded.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public BundleLoadException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public BundleLoadException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
