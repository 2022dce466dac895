namespace MiM.Bundles.Dicom.Core;

/// <summary>The bytes of a value, held in memory or read on demand from the source file.</summary>
public abstract class DicomBuffer
{
    /// <summary>An empty value.</summary>
    public static DicomBuffer Empty { get; } = new DicomMemoryBuffer([]);

    /// <summary>Length in bytes.</summary>
    public abstract long Length { get; }

    /// <summary>True when the bytes are already in memory.</summary>
    public abstract bool IsLoaded { get; }

    /// <summary>The bytes, little endian for numeric VRs. Deferred buffers read their source now.</summary>
    public abstract byte[] GetBytes();
}

/// <summary>A value held in memory.</summary>
public sealed class DicomMemoryBuffer : DicomBuffer
{
    private readonly byte[] _bytes;

    /// <summary>Wraps bytes (not copied).</summary>
    public DicomMemoryBuffer(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        _bytes = bytes;
    }

    /// <inheritdoc />
    public override long Length => _bytes.Length;

    /// <inheritdoc />
    public override bool IsLoaded => true;

    /// <inheritdoc />
    public override byte[] GetBytes() => _bytes;
}

/// <summary>
/// A value left in its file (pixel data read lazily): the source is reopened and the bytes read on the first
/// <see cref="GetBytes"/>, then kept.
/// </summary>
public sealed class DicomDeferredBuffer : DicomBuffer
{
    private readonly Func<Stream> _open;
    private readonly long _offset;
    private readonly int _swapUnit;
    private readonly string? _filePath;
    private readonly DicomTag _tag;
    private byte[]? _bytes;

    internal DicomDeferredBuffer(Func<Stream> open, long offset, long length, int swapUnit, string? filePath, DicomTag tag)
    {
        _open = open;
        _offset = offset;
        Length = length;
        _swapUnit = swapUnit;
        _filePath = filePath;
        _tag = tag;
    }

    /// <inheritdoc />
    public override long Length { get; }

    /// <inheritdoc />
    public override bool IsLoaded => _bytes is not null;

    /// <inheritdoc />
    public override byte[] GetBytes()
    {
        if (_bytes is not null)
        {
            return _bytes;
        }

        if (Length > Array.MaxLength)
        {
            throw new DicomException($"value of {Length} bytes is too large to load", _filePath, _tag, _offset);
        }

        try
        {
            using var stream = _open();
            if (stream.Length - _offset < Length)
            {
                throw new DicomException($"file ends before the {Length} bytes of the value", _filePath, _tag, _offset);
            }

            stream.Seek(_offset, SeekOrigin.Begin);
            var bytes = new byte[Length];
            stream.ReadExactly(bytes);
            IO.DicomByteSwap.ToLittleEndian(bytes, _swapUnit);
            _bytes = bytes;
            return bytes;
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot read deferred value: {e.Message}", _filePath, _tag, _offset, e);
        }
    }

    /// <summary>
    /// Reads <paramref name="destination"/>.Length bytes from <paramref name="start"/> within the value straight into
    /// <paramref name="destination"/> (byte-swapped as <see cref="GetBytes"/> would), without loading and keeping the
    /// whole value: a series loader reads each slice once into a reused buffer.
    /// </summary>
    /// <exception cref="DicomException">The file cannot be read or ends early.</exception>
    internal void ReadRange(long start, Span<byte> destination)
    {
        if (_bytes is not null)
        {
            _bytes.AsSpan((int)start, destination.Length).CopyTo(destination);
            return;
        }

        try
        {
            using var stream = _open();
            if (stream.Length - _offset < Length)
            {
                throw new DicomException($"file ends before the {Length} bytes of the value", _filePath, _tag, _offset);
            }

            stream.Seek(_offset + start, SeekOrigin.Begin);
            stream.ReadExactly(destination);
            IO.DicomByteSwap.ToLittleEndian(destination, _swapUnit);
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot read deferred value: {e.Message}", _filePath, _tag, _offset, e);
        }
    }
}
