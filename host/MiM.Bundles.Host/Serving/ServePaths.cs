namespace MiM.Bundles.Host.Serving;

/// <summary>The folders of the data directory: each stage owns one.</summary>
/// <param name="Root">The data directory.</param>
public sealed record ServePaths(string Root)
{
    /// <summary>The durable inbox of received instances.</summary>
    public string Inbox => Path.Combine(Root, "inbox");

    /// <summary>The assembler's hand-off markers.</summary>
    public string Assembler => Path.Combine(Root, "assembler");

    /// <summary>The job records.</summary>
    public string Jobs => Path.Combine(Root, "jobs");

    /// <summary>The results (SEG, SR), one folder per job.</summary>
    public string Results => Path.Combine(Root, "results");

    /// <summary>The outbox.</summary>
    public string Outbox => Path.Combine(Root, "outbox");

    /// <summary>The audit log (JSON lines).</summary>
    public string AuditLog => Path.Combine(Root, "audit.jsonl");
}
