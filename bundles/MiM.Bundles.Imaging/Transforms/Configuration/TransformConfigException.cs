namespace MiM.Bundles.Imaging.Transforms.Configuration;

/// <summary>A pipeline description that cannot be used; the message names the transform, the key and what was expected.</summary>
public sealed class TransformConfigException : Exception
{
    /// <summary>Creates the exception with a message.</summary>
    public TransformConfigException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TransformConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public TransformConfigException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
