using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.IO;

/// <summary>A Part 10 file: file meta information (group 0002), the data set and how it was encoded.</summary>
public sealed class DicomFile
{
    /// <summary>Creates a file from its parts (e.g. to write a new object).</summary>
    public DicomFile(string? filePath, DicomDataset meta, DicomDataset dataset, DicomTransferSyntax transferSyntax, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(meta);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        FilePath = filePath;
        Meta = meta;
        Dataset = dataset;
        TransferSyntax = transferSyntax;
        Warnings = warnings ?? [];
    }

    /// <summary>Creates a new file around a data set; the meta information is built when written.</summary>
    public DicomFile(DicomDataset dataset) : this(null, new DicomDataset(), dataset, DicomTransferSyntax.ExplicitVrLittleEndian)
    {
    }

    /// <summary>The path it was read from, when read from a file.</summary>
    public string? FilePath { get; }

    /// <summary>File meta information (group 0002); empty for a raw data set without meta.</summary>
    public DicomDataset Meta { get; }

    /// <summary>The data set.</summary>
    public DicomDataset Dataset { get; }

    /// <summary>The transfer syntax of the data set: what the meta said, or what was guessed without meta.</summary>
    public DicomTransferSyntax TransferSyntax { get; }

    /// <summary>What was tolerated while reading (missing meta, unsupported character set...).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// Where a header read (<see cref="PixelDataReading.StopBefore"/>) stopped at the top-level pixel data, so that
    /// <see cref="DicomFileReader.ReadPixelData"/> can go on from there instead of parsing the header again.
    /// </summary>
    internal DicomResumePoint? PixelDataStart { get; init; }

    /// <summary>Reads a file; pixel data is deferred by default and read from the file on first access.</summary>
    public static DicomFile Open(string path, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Open(() => File.OpenRead(path), path, options);
    }

    /// <summary>
    /// Reads from a source that can be opened again (deferred pixel data reopens it on first access).
    /// </summary>
    public static DicomFile Open(Func<Stream> openSource, string? name, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(openSource);
        Stream stream;
        try
        {
            stream = openSource();
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot open: {e.Message}", name, null, null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DicomException($"cannot open: {e.Message}", name, null, null, e);
        }

        using (stream)
        {
            var seekable = stream.CanSeek ? stream : Buffer(stream, name);
            return DicomFileReader.Read(seekable, name, stream.CanSeek ? openSource : null, options ?? DicomReadOptions.Default);
        }
    }

    /// <summary>
    /// Reads from a stream, loading everything (a stream cannot be reopened later); a stream that cannot seek is
    /// copied into memory first.
    /// </summary>
    public static DicomFile Open(Stream stream, DicomReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var opts = options ?? DicomReadOptions.Default;
        if (opts.PixelData == PixelDataReading.Defer)
        {
            opts = opts with { PixelData = PixelDataReading.Load };
        }

        return DicomFileReader.Read(stream.CanSeek ? stream : Buffer(stream, null), null, null, opts);
    }

    /// <summary>Writes the file to a path (see <see cref="Write(Stream)"/>).</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        using var stream = File.Create(path);
        Write(stream);
    }

    /// <summary>
    /// Writes preamble, meta information and data set in Explicit VR Little Endian (or, when the data set holds
    /// encapsulated pixel data, in the encapsulated transfer syntax it came with).
    /// </summary>
    public void Write(Stream stream) => DicomFileWriter.Write(stream, this);

    private static MemoryStream Buffer(Stream stream, string? name)
    {
        try
        {
            var memory = new MemoryStream();
            stream.CopyTo(memory);
            memory.Position = 0;
            return memory;
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot read: {e.Message}", name, null, null, e);
        }
    }
}
