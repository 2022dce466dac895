using System.Buffers.Binary;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.IO;

/// <summary>
/// Buffered reading of a DICOM stream with peeking and position tracking. Every read checks the bytes that remain
/// (seekable sources) or grows its buffer only as bytes actually arrive (deflate), so a forged length can neither
/// allocate beyond the data nor run past its end.
/// </summary>
internal sealed class DicomInput
{
    private const int ChunkSize = 1 << 20;
    private readonly Stream _stream;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly long _limit;
    private int _start;
    private int _end;
    private long _bufferOffset;

    public DicomInput(Stream stream, string? filePath, long limit = long.MaxValue)
    {
        _stream = stream;
        FilePath = filePath;
        _limit = limit;
        if (stream.CanSeek)
        {
            _bufferOffset = stream.Position;
            Length = stream.Length;
        }
    }

    public string? FilePath { get; }

    public bool BigEndian { get; set; }

    /// <summary>Total length when known (seekable sources).</summary>
    public long? Length { get; }

    public bool CanSeek => _stream.CanSeek;

    public long Position => _bufferOffset + _start;

    public long? Remaining => Length - Position;

    public bool AtEnd => !Fill(1);

    /// <summary>Up to <paramref name="count"/> bytes ahead without consuming them (fewer at the end).</summary>
    public ReadOnlySpan<byte> Peek(int count)
    {
        Fill(count);
        return _buffer.AsSpan(_start, Math.Min(count, _end - _start));
    }

    public ushort ReadUInt16(DicomTag? tag = null)
    {
        var span = Take(2, tag);
        return BigEndian ? BinaryPrimitives.ReadUInt16BigEndian(span) : BinaryPrimitives.ReadUInt16LittleEndian(span);
    }

    public uint ReadUInt32(DicomTag? tag = null)
    {
        var span = Take(4, tag);
        return BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(span) : BinaryPrimitives.ReadUInt32LittleEndian(span);
    }

    public (byte First, byte Second) ReadTwoBytes(DicomTag tag)
    {
        var span = Take(2, tag);
        return (span[0], span[1]);
    }

    /// <summary>Reads a value of a given length, checked against what the source still holds.</summary>
    public byte[] ReadBytes(long count, DicomTag tag)
    {
        EnsureAvailable(count, tag);
        if (count > Array.MaxLength)
        {
            throw Error($"value length {count} is too large", tag);
        }

        // Without a known length grow as bytes arrive, so a forged length cannot allocate more than the data holds.
        var result = new byte[Remaining is null ? Math.Min(count, ChunkSize) : count];
        long done = 0;
        while (done < count)
        {
            if (done == result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(count, (long)result.Length * 2));
            }

            if (!Fill(1))
            {
                throw Error($"stream ends after {done} of {count} bytes of the value", tag);
            }

            var n = (int)Math.Min(Math.Min(_end - _start, count - done), result.Length - done);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan((int)done));
            _start += n;
            done += n;
        }

        return result;
    }

    /// <summary>Moves past a value without reading it (a seek when possible).</summary>
    public void Skip(long count, DicomTag tag)
    {
        EnsureAvailable(count, tag);
        var buffered = Math.Min(count, _end - _start);
        _start += (int)buffered;
        count -= buffered;
        if (count == 0)
        {
            return;
        }

        if (_stream.CanSeek)
        {
            _bufferOffset = Position + count;
            _start = _end = 0;
            _stream.Seek(_bufferOffset, SeekOrigin.Begin);
            return;
        }

        while (count > 0)
        {
            if (!Fill(1))
            {
                throw Error("stream ends inside a value", tag);
            }

            var n = (int)Math.Min(_end - _start, count);
            _start += n;
            count -= n;
        }
    }

    /// <summary>Throws unless <paramref name="count"/> bytes remain (when the length is known).</summary>
    public void EnsureAvailable(long count, DicomTag tag)
    {
        if (count < 0 || (Remaining is { } remaining && count > remaining))
        {
            throw Error($"value length {count} exceeds the {Remaining} bytes left", tag);
        }
    }

    public DicomException Error(string message, DicomTag? tag, Exception? inner = null) =>
        new(message, FilePath, tag, Position, inner);

    private ReadOnlySpan<byte> Take(int count, DicomTag? tag)
    {
        if (!Fill(count))
        {
            throw Error($"stream ends; expected {count} more bytes", tag);
        }

        var span = _buffer.AsSpan(_start, count);
        _start += count;
        return span;
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available in the buffer; false at end of stream.</summary>
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _bufferOffset += _start;
            _start = 0;
        }

        while (_end < count)
        {
            if (_bufferOffset + _end >= _limit)
            {
                throw Error($"decoded data set exceeds {_limit} bytes", null);
            }

            var n = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (n == 0)
            {
                return false;
            }

            _end += n;
        }

        return true;
    }
}
