namespace MiM.Bundles.Packaging.Refusals;

/// <summary>
/// A bundle archive, installed bundle or repository index failed a check. Nothing was installed or changed; the message
/// says which check and which file, <see cref="Reason"/> says it for code.
/// </summary>
public sealed class BundleRefusedException : Exception
{
    /// <summary>Creates a refusal for <paramref name="reason"/>.</summary>
    public BundleRefusedException(RefusalReason reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates a refusal caused by another exception (a zip or JSON reader's).</summary>
    public BundleRefusedException(RefusalReason reason, string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Creates a refusal with reason <see cref="RefusalReason.Malformed"/>.</summary>
    public BundleRefusedException()
        : this(RefusalReason.Malformed, "malformed bundle archive")
    {
    }

    /// <summary>Creates a refusal with reason <see cref="RefusalReason.Malformed"/>.</summary>
    public BundleRefusedException(string message)
        : this(RefusalReason.Malformed, message)
    {
    }

    /// <summary>Creates a refusal with reason <see cref="RefusalReason.Malformed"/>.</summary>
    public BundleRefusedException(string message, Exception innerException)
        : this(RefusalReason.Malformed, message, innerException)
    {
    }

    /// <summary>Which check failed.</summary>
    public RefusalReason Reason { get; }
}
