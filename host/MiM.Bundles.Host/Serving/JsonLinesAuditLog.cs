using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiM.Bundles.Host.Audit;

namespace MiM.Bundles.Host.Serving;

/// <summary>
/// The audit log as JSON lines in one append-only file: each <see cref="Append"/> writes one line and fsyncs before it
/// returns. Events carry UIDs and AE titles only (see <see cref="AuditEvent"/>).
/// </summary>
public sealed class JsonLinesAuditLog : IAuditLog, IDisposable
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly FileStream _stream;
    private readonly Lock _gate = new();

    /// <summary>Opens (creating) the log for appending.</summary>
    public JsonLinesAuditLog(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    /// <inheritdoc/>
    public void Append(AuditEvent auditEvent)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(auditEvent, Json) + "\n");
        lock (_gate)
        {
            _stream.Write(line);
            _stream.Flush(flushToDisk: true);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
