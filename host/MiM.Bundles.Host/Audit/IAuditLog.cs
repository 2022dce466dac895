namespace MiM.Bundles.Host.Audit;

/// <summary>The append-only audit trail. <see cref="Append"/> returns once the line is on disk (fsynced).</summary>
public interface IAuditLog
{
    /// <summary>Appends one event durably.</summary>
    void Append(AuditEvent auditEvent);
}
