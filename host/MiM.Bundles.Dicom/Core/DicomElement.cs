namespace MiM.Bundles.Dicom.Core;

/// <summary>A data element: a tag, a VR and a value (bytes, items or fragments according to the subclass).</summary>
public abstract class DicomElement
{
    /// <summary>Creates an element.</summary>
    protected DicomElement(DicomTag tag, DicomVr vr)
    {
        Tag = tag;
        Vr = vr;
    }

    /// <summary>The tag.</summary>
    public DicomTag Tag { get; }

    /// <summary>The VR, as the file said (explicit VR) or the dictionary gave (implicit VR; unknown tags are UN).</summary>
    public DicomVr Vr { get; }
}

/// <summary>An element whose value is a run of bytes (every VR except SQ and encapsulated pixel data).</summary>
public sealed class DicomValueElement : DicomElement
{
    /// <summary>Creates an element over a buffer (little endian for numeric VRs).</summary>
    public DicomValueElement(DicomTag tag, DicomVr vr, DicomBuffer buffer) : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (vr is DicomVr.SQ or DicomVr.None)
        {
            throw new DicomException($"a value element cannot have VR {vr}", null, tag, null);
        }

        Buffer = buffer;
    }

    /// <summary>Creates an element over bytes held in memory.</summary>
    public DicomValueElement(DicomTag tag, DicomVr vr, byte[] bytes) : this(tag, vr, new DicomMemoryBuffer(bytes))
    {
    }

    /// <summary>The value's bytes, possibly still in the file.</summary>
    public DicomBuffer Buffer { get; }

    /// <summary>Value length in bytes.</summary>
    public long Length => Buffer.Length;
}

/// <summary>A sequence (SQ): an ordered list of item data sets.</summary>
public sealed class DicomSequence : DicomElement
{
    /// <summary>Creates a sequence with the given items.</summary>
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVr.SQ)
    {
        if (items is not null)
        {
            Items.AddRange(items);
        }
    }

    /// <summary>The items, in order.</summary>
    public List<DicomDataset> Items { get; } = [];
}

/// <summary>
/// Encapsulated pixel data: a Basic Offset Table and compressed fragments, kept as raw bytes for the codecs;
/// decoding depends on the file's transfer syntax.
/// </summary>
public sealed class DicomFragmentSequence : DicomElement
{
    /// <summary>Creates encapsulated pixel data.</summary>
    public DicomFragmentSequence(DicomTag tag, DicomVr vr, DicomBuffer offsetTable, IEnumerable<DicomBuffer> fragments) : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(offsetTable);
        ArgumentNullException.ThrowIfNull(fragments);
        OffsetTable = offsetTable;
        Fragments = [.. fragments];
    }

    /// <summary>The Basic Offset Table item's bytes (often empty).</summary>
    public DicomBuffer OffsetTable { get; }

    /// <summary>The fragments after the offset table, in order.</summary>
    public IReadOnlyList<DicomBuffer> Fragments { get; }

    /// <summary>The offset table as 32-bit offsets of each frame's first fragment.</summary>
    public IReadOnlyList<uint> GetFrameOffsets()
    {
        var bytes = OffsetTable.GetBytes();
        var offsets = new uint[bytes.Length / 4];
        for (var i = 0; i < offsets.Length; i++)
        {
            offsets[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
        }

        return offsets;
    }
}
