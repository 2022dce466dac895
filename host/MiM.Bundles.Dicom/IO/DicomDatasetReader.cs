using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Dictionary;

namespace MiM.Bundles.Dicom.IO;

/// <summary>
/// Parses elements, sequences and encapsulated pixel data from a <see cref="DicomInput"/> (PS3.5 section 7).
/// Values are kept little endian: big-endian values are swapped per VR as they are read.
/// </summary>
internal sealed class DicomDatasetReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;
    private readonly DicomInput _input;
    private readonly DicomReadOptions _options;
    private readonly Func<Stream>? _reopen;
    private readonly List<string> _warnings;

    public DicomDatasetReader(DicomInput input, DicomReadOptions options, Func<Stream>? reopen, List<string> warnings)
    {
        _input = input;
        _options = options;
        _reopen = input.CanSeek ? reopen : null;
        _warnings = warnings;
    }

    /// <summary>Where the top-level pixel data element starts when reading stopped before it (<see cref="PixelDataReading.StopBefore"/>).</summary>
    public long? StoppedAtPixelData { get; private set; }

    /// <summary>Reads top-level elements until the end of the stream or until <paramref name="stop"/> says so.</summary>
    public void ReadTopLevel(DicomDataset dataset, bool explicitVr, Func<DicomTag, bool>? stop = null) =>
        ReadElements(dataset, explicitVr, end: null, untilItemDelimiter: false, depth: 0, stop);

    private void ReadElements(DicomDataset dataset, bool explicitVr, long? end, bool untilItemDelimiter, int depth, Func<DicomTag, bool>? stop)
    {
        while (true)
        {
            if (end is { } limit && _input.Position >= limit)
            {
                if (_input.Position > limit)
                {
                    throw _input.Error("element runs past the end of its item", null);
                }

                return;
            }

            if (end is null && !untilItemDelimiter && _input.AtEnd)
            {
                return;
            }

            var tag = PeekTag();
            if (stop?.Invoke(tag) == true)
            {
                return;
            }

            if (depth == 0 && tag == DicomTag.PixelData && _options.PixelData == PixelDataReading.StopBefore)
            {
                StoppedAtPixelData = _input.Position;
                return;
            }

            _input.Skip(4, tag);
            if (tag == DicomTag.ItemDelimitationItem)
            {
                _input.ReadUInt32(tag);
                if (untilItemDelimiter)
                {
                    return;
                }

                throw _input.Error("item delimiter outside an item of undefined length", tag);
            }

            if (tag == DicomTag.SequenceDelimitationItem && depth == 0)
            {
                // Stray delimiter at the top level (seen in the wild; DCMTK warns and goes on).
                _input.ReadUInt32(tag);
                _warnings.Add($"sequence delimitation item outside a sequence at offset {_input.Position - 8}");
                continue;
            }

            if (tag.Group == 0xFFFE)
            {
                throw _input.Error("item or delimiter where a data element was expected", tag);
            }

            var element = ReadElement(tag, explicitVr, depth, PixelSwapUnit(dataset, tag, depth));
            if (dataset.Contains(tag))
            {
                _warnings.Add($"duplicate element {tag}; the last one is kept");
            }

            dataset.Set(element);
        }
    }

    /// <summary>
    /// Big-endian pixel data of 32 or 64 bits is swapped per pixel, not per 16-bit OW word, as pydicom and DCMTK
    /// write it; null keeps the VR's unit.
    /// </summary>
    private int? PixelSwapUnit(DicomDataset dataset, DicomTag tag, int depth)
    {
        if (!_input.BigEndian || depth != 0 || tag != DicomTag.PixelData)
        {
            return null;
        }

        var bitsAllocated = dataset.GetLongs(new DicomTag(0x0028, 0x0100));
        return bitsAllocated.Count == 1 && bitsAllocated[0] is 32 or 64 ? (int)(bitsAllocated[0] / 8) : null;
    }

    private DicomElement ReadElement(DicomTag tag, bool explicitVr, int depth, int? swapUnit)
    {
        DicomVr vr;
        uint length;
        if (explicitVr)
        {
            var (a, b) = _input.ReadTwoBytes(tag);
            if (!DicomVrInfo.TryParse(a, b, out vr))
            {
                if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z')
                {
                    throw _input.Error($"invalid VR bytes 0x{a:X2}{b:X2}", tag);
                }

                // An unknown VR of two capital letters: later editions give new VRs a 32-bit length (PS3.5 7.1.2).
                _warnings.Add($"unknown VR '{(char)a}{(char)b}' for {tag} read as UN");
                vr = DicomVr.UN;
            }

            if (DicomVrInfo.HasLongLength(vr))
            {
                _input.Skip(2, tag);
                length = _input.ReadUInt32(tag);
            }
            else
            {
                length = _input.ReadUInt16(tag);
            }
        }
        else
        {
            vr = DicomDictionaryIndex.ImplicitVr(tag);
            length = _input.ReadUInt32(tag);
        }

        var isPixelData = tag == DicomTag.PixelData;
        if (vr == DicomVr.SQ || (length == UndefinedLength && !isPixelData && (vr == DicomVr.UN || !explicitVr)))
        {
            // UN of undefined length holds a sequence in implicit VR little endian (PS3.5 section 6.2.2).
            var nestedExplicit = explicitVr && vr == DicomVr.SQ;
            return ReadSequence(tag, length, nestedExplicit, depth + 1);
        }

        if (length == UndefinedLength)
        {
            // Encapsulated pixel data is OB whatever an implicit VR dictionary or a sloppy writer said (PS3.5 A.4).
            return ReadFragments(tag, DicomVr.OB, depth);
        }

        var deferrable = depth == 0 && tag.Group == 0x7FE0 && tag.Element is 0x0008 or 0x0009 or 0x0010;
        return new DicomValueElement(tag, vr, ReadValue(tag, vr, length, deferrable, swapUnit));
    }

    private DicomBuffer ReadValue(DicomTag tag, DicomVr vr, long length, bool deferrable, int? swapOverride = null)
    {
        var swapUnit = _input.BigEndian ? swapOverride ?? DicomVrInfo.SwapUnit(vr) : 1;
        if (deferrable && _options.PixelData == PixelDataReading.Defer && _reopen is not null)
        {
            var offset = _input.Position;
            _input.Skip(length, tag);
            return new DicomDeferredBuffer(_reopen, offset, length, swapUnit, _input.FilePath, tag);
        }

        var bytes = _input.ReadBytes(length, tag);
        DicomByteSwap.ToLittleEndian(bytes, swapUnit);
        return new DicomMemoryBuffer(bytes);
    }

    private DicomSequence ReadSequence(DicomTag tag, uint length, bool explicitVr, int depth)
    {
        if (depth > _options.MaxSequenceDepth)
        {
            throw _input.Error($"sequences nested deeper than {_options.MaxSequenceDepth} levels", tag);
        }

        // Sequences of UN content switch to implicit little endian, whatever the surrounding byte order.
        var wasBigEndian = _input.BigEndian;
        if (!explicitVr)
        {
            _input.BigEndian = false;
        }

        var sequence = new DicomSequence(tag);
        long? end = null;
        if (length != UndefinedLength)
        {
            if (_input.Remaining is { } remaining && length > remaining && depth == 1)
            {
                // DCMTK reads a top-level sequence whose length overshoots the file up to the end of the file; its
                // items are still checked one by one.
                _warnings.Add($"sequence {tag} claims {length} bytes but only {remaining} remain; read to the end of the file");
                length = (uint)remaining;
            }

            _input.EnsureAvailable(length, tag);
            end = _input.Position + length;
        }

        while (end is null || _input.Position < end)
        {
            var itemTag = new DicomTag(_input.ReadUInt16(tag), _input.ReadUInt16(tag));
            var itemLength = _input.ReadUInt32(tag);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                if (end is null)
                {
                    break;
                }

                _warnings.Add($"sequence delimiter inside the defined length of {tag}");
                continue;
            }

            if (itemTag != DicomTag.Item)
            {
                throw _input.Error($"expected an item (fffe,e000) in sequence, found {itemTag}", tag);
            }

            var item = new DicomDataset();
            if (itemLength == UndefinedLength)
            {
                ReadElements(item, explicitVr, end: null, untilItemDelimiter: true, depth, stop: null);
            }
            else
            {
                if (_input.Remaining is { } left && itemLength > left && depth == 1)
                {
                    // Same tolerance as for the top-level sequence itself: the last item may overshoot the file.
                    _warnings.Add($"item of {tag} claims {itemLength} bytes but only {left} remain; read to the end of the file");
                    itemLength = (uint)left;
                }

                _input.EnsureAvailable(itemLength, tag);
                ReadElements(item, explicitVr, _input.Position + itemLength, untilItemDelimiter: false, depth, stop: null);
            }

            sequence.Items.Add(item);
        }

        if (end is { } limit && _input.Position != limit)
        {
            throw _input.Error("items run past the defined length of the sequence", tag);
        }

        _input.BigEndian = wasBigEndian;
        return sequence;
    }

    private DicomFragmentSequence ReadFragments(DicomTag tag, DicomVr vr, int depth)
    {
        DicomBuffer? offsetTable = null;
        var fragments = new List<DicomBuffer>();
        var deferrable = depth == 0 && tag == DicomTag.PixelData;
        while (true)
        {
            var itemTag = new DicomTag(_input.ReadUInt16(tag), _input.ReadUInt16(tag));
            var itemLength = _input.ReadUInt32(tag);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                break;
            }

            if (itemTag != DicomTag.Item || itemLength == UndefinedLength)
            {
                throw _input.Error($"expected a fragment item of defined length, found {itemTag} with length 0x{itemLength:X8}", tag);
            }

            if (offsetTable is null)
            {
                var table = _input.ReadBytes(itemLength, tag);
                DicomByteSwap.ToLittleEndian(table, _input.BigEndian ? 4 : 1);
                offsetTable = new DicomMemoryBuffer(table);
            }
            else
            {
                fragments.Add(ReadValue(tag, DicomVr.OB, itemLength, deferrable));
            }
        }

        return new DicomFragmentSequence(tag, vr, offsetTable ?? DicomBuffer.Empty, fragments);
    }

    private DicomTag PeekTag()
    {
        var span = _input.Peek(4);
        if (span.Length < 4)
        {
            throw _input.Error($"stream ends inside an element tag ({span.Length} trailing bytes)", null);
        }

        return _input.BigEndian
            ? new DicomTag((ushort)((span[0] << 8) | span[1]), (ushort)((span[2] << 8) | span[3]))
            : new DicomTag((ushort)(span[0] | (span[1] << 8)), (ushort)(span[2] | (span[3] << 8)));
    }
}
