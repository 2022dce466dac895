using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom;

/// <summary>
/// The one error type of the DICOM layer: a malformed or unsupported file ends here, with where it went wrong.
/// </summary>
public sealed class DicomException : Exception
{
    /// <summary>Creates an exception with a message only.</summary>
    public DicomException() : this("DICOM error")
    {
    }

    /// <summary>Creates an exception with a message only.</summary>
    public DicomException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception wrapping a lower-level cause.</summary>
    public DicomException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates an exception locating the problem in a file.</summary>
    public DicomException(string message, string? filePath, DicomTag? tag, long? offset, Exception? innerException = null)
        : base(Compose(message, filePath, tag, offset), innerException)
    {
        FilePath = filePath;
        Tag = tag;
        Offset = offset;
    }

    /// <summary>The file being read or written, when known.</summary>
    public string? FilePath { get; }

    /// <summary>The element being processed, when known.</summary>
    public DicomTag? Tag { get; }

    /// <summary>The byte offset in the (decoded) stream, when known.</summary>
    public long? Offset { get; }

    private static string Compose(string message, string? filePath, DicomTag? tag, long? offset)
    {
        var where = new List<string>();
        if (filePath is not null)
        {
            where.Add(filePath);
        }

        if (tag is not null)
        {
            where.Add($"tag {tag}");
        }

        if (offset is not null)
        {
            where.Add($"offset {offset}");
        }

        return where.Count == 0 ? message : $"{message} ({string.Join(", ", where)})";
    }
}
