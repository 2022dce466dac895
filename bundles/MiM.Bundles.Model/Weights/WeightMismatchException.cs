namespace MiM.Bundles.Model.Weights;

/// <summary>A checkpoint's tensor names or shapes do not match the network it is loaded into.</summary>
public sealed class WeightMismatchException : Exception
{
    /// <summary>An exception with no details.</summary>
    public WeightMismatchException() : this("The checkpoint does not match the network.")
    {
    }

    /// <summary>An exception with a message.</summary>
    /// <param name="message">What differs.</param>
    public WeightMismatchException(string message) : base(message)
    {
    }

    /// <summary>An exception with a message and a cause.</summary>
    /// <param name="message">What differs.</param>
    /// <param name="innerException">The cause.</param>
    public WeightMismatchException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Keys the network has and the checkpoint lacks.</summary>
    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    /// <summary>Keys the checkpoint has and the network lacks.</summary>
    public IReadOnlyList<string> UnexpectedKeys { get; init; } = [];

    /// <summary>Keys present in both with different shapes, as "key: expected [..], found [..]".</summary>
    public IReadOnlyList<string> ShapeMismatches { get; init; } = [];
}
