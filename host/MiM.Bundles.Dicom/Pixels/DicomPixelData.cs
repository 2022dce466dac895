using System.Buffers;
using MiM.Bundles.Dicom.Codecs;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.IO;

namespace MiM.Bundles.Dicom.Pixels;

/// <summary>
/// The decoded frames of a <see cref="DicomFile"/>: native pixel data is cut into frames, encapsulated pixel data is split
/// into frames (<see cref="FrameSplitter"/>) and decoded by the codec of the file's transfer syntax
/// (<see cref="PixelDecoders"/>). Values are stored values: Rescale Slope/Intercept are left to the caller.
/// </summary>
public sealed class DicomPixelData
{
    private readonly DicomFile _file;
    private IReadOnlyList<byte[]>? _compressedFrames;

    private DicomPixelData(DicomFile file, PixelFormat format, int frames)
    {
        _file = file;
        Format = format;
        NumberOfFrames = frames;
    }

    /// <summary>Rows, columns, samples and bit depths of every frame.</summary>
    public PixelFormat Format { get; }

    /// <summary>Number of Frames (1 when absent).</summary>
    public int NumberOfFrames { get; }

    /// <summary>Reads the pixel module of <paramref name="file"/>; pixel bytes are read on the first frame request.</summary>
    /// <param name="file">A file opened with pixel data loaded or deferred (not <see cref="PixelDataReading.StopBefore"/>).</param>
    /// <returns>The file's frames.</returns>
    /// <exception cref="DicomException">The image pixel attributes are missing or out of range.</exception>
    public static DicomPixelData Create(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var format = PixelFormatReader.Read(file.Dataset, file.FilePath);
        return new DicomPixelData(file, format, PixelFormatReader.Frames(file.Dataset, file.FilePath));
    }

    /// <summary>Frame <paramref name="frame"/> (0-based) as native little-endian bytes, <see cref="PixelFormat.FrameLength"/> long.</summary>
    /// <exception cref="DicomException">No pixel data, too few bytes, or a compressed syntax without decoder (named in the message).</exception>
    public byte[] GetFrameBytes(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, NumberOfFrames);
        return _file.Dataset[DicomTag.PixelData] switch
        {
            DicomFragmentSequence fragments => Decode(fragments, frame),
            DicomValueElement native => Slice(native, frame),
            _ => throw new DicomException("no pixel data; expected native or encapsulated Pixel Data (was the file opened with PixelData = StopBefore?)", _file.FilePath, DicomTag.PixelData, null),
        };
    }

    /// <summary>Frame <paramref name="frame"/> as stored values (Bits Stored, sign-extended when Pixel Representation is 1), row by row.</summary>
    /// <exception cref="DicomException">As for <see cref="GetFrameBytes"/>.</exception>
    public int[] GetStoredValues(int frame) => StoredValues.Convert(GetFrameBytes(frame), Format);

    /// <summary>
    /// Frame <paramref name="frame"/> of a one-sample-per-pixel image as stored value × <paramref name="slope"/> +
    /// <paramref name="intercept"/> into <paramref name="target"/> (<see cref="PixelFormat.PixelCount"/> long); native
    /// frames are converted in place in the file's buffer, without copies.
    /// </summary>
    /// <exception cref="DicomException">As for <see cref="GetFrameBytes"/>.</exception>
    internal void ReadRescaled(int frame, double slope, double intercept, Span<float> target)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, NumberOfFrames);
        var element = _file.Dataset[DicomTag.PixelData];
        if (element is DicomValueElement { Buffer: DicomDeferredBuffer { IsLoaded: false } deferred } && !_file.TransferSyntax.IsEncapsulated)
        {
            // Deferred native pixels: only this frame's bytes are read, into a pooled buffer (no 512 KB array per slice).
            var length = (int)Format.FrameLength;
            CheckNativeLength(deferred.Length, frame);
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                deferred.ReadRange((long)length * frame, rented.AsSpan(0, length));
                RescaledValues.Convert(rented.AsSpan(0, length), Format, slope, intercept, target);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }

            return;
        }

        var bytes = element is DicomValueElement native && !_file.TransferSyntax.IsEncapsulated
            ? NativeFrame(native, frame)
            : GetFrameBytes(frame);
        RescaledValues.Convert(bytes, Format, slope, intercept, target);
    }

    private byte[] Slice(DicomValueElement native, int frame)
    {
        if (_file.TransferSyntax.IsEncapsulated)
        {
            throw new DicomException($"{_file.TransferSyntax.Name} ({_file.TransferSyntax.Uid}) pixel data is not encapsulated; expected fragments", _file.FilePath, DicomTag.PixelData, null);
        }

        return NativeFrame(native, frame).ToArray();
    }

    private ReadOnlySpan<byte> NativeFrame(DicomValueElement native, int frame)
    {
        var length = Format.FrameLength;
        var bytes = native.Buffer.GetBytes();
        CheckNativeLength(bytes.LongLength, frame);
        return bytes.AsSpan((int)(length * frame), (int)length);
    }

    private void CheckNativeLength(long available, int frame)
    {
        var length = Format.FrameLength;
        if (available < length * (frame + 1))
        {
            throw new DicomException($"pixel data has {available} bytes; expected at least {length * NumberOfFrames} for {NumberOfFrames} frame(s) of {Format.Columns}x{Format.Rows}", _file.FilePath, DicomTag.PixelData, null);
        }
    }

    private byte[] Decode(DicomFragmentSequence fragments, int frame)
    {
        var syntax = _file.TransferSyntax;
        try
        {
            var decoder = PixelDecoders.For(syntax.Uid);
            _compressedFrames ??= FrameSplitter.Split(fragments.OffsetTable.GetBytes(), [.. fragments.Fragments.Select(f => f.GetBytes())], NumberOfFrames);
            return decoder.DecodeFrame(_compressedFrames[frame], Format);
        }
        catch (PixelDecodeException e)
        {
            throw new DicomException($"cannot decode frame {frame} of {syntax.Name} ({syntax.Uid}): {e.Message}", _file.FilePath, DicomTag.PixelData, null, e);
        }
    }
}
