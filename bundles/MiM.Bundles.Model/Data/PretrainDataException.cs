namespace MiM.Bundles.Model.Data;

/// <summary>The pre-training data cannot be used: nothing was found, a listing is malformed, or no volume is readable.</summary>
public sealed class PretrainDataException : Exception
{
    /// <summary>Creates the exception with a message that says what was looked at and why it failed.</summary>
    public PretrainDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    public PretrainDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message (exception-pattern constructor).</summary>
    public PretrainDataException()
        : this("The pre-training data cannot be used.")
    {
    }
}
