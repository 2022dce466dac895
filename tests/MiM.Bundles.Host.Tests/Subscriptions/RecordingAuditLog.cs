using System.Collections.Concurrent;
using MiM.Bundles.Host.Audit;

namespace MiM.Bundles.Host.Tests.Subscriptions;

/// <summary>An audit log that keeps its events in memory, for asserting what was recorded.</summary>
internal sealed class RecordingAuditLog : IAuditLog
{
    private readonly ConcurrentQueue<AuditEvent> _events = new();

    public IReadOnlyList<AuditEvent> Events => [.. _events];

    public void Append(AuditEvent auditEvent) => _events.Enqueue(auditEvent);

    public IReadOnlyList<AuditEvent> Of(string action) => [.. _events.Where(e => e.Action == action)];
}
