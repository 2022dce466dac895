using System.IO.Compression;
using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.IO;

/// <summary>
/// Reads a Part 10 file (preamble, "DICM", group 0002 meta, data set) or, like DCMTK, a raw data set without
/// preamble or meta, guessing its encoding from the first element.
/// </summary>
internal static class DicomFileReader
{
    private const int PreambleLength = 128;

    public static DicomFile Read(Stream source, string? filePath, Func<Stream>? reopen, DicomReadOptions options)
    {
        var warnings = new List<string>();
        try
        {
            return ReadCore(source, filePath, reopen, options, warnings);
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot read: {e.Message}", filePath, null, null, e);
        }
        catch (InvalidDataException e)
        {
            throw new DicomException($"corrupt deflated data set: {e.Message}", filePath, null, null, e);
        }
    }

    private static DicomFile ReadCore(Stream source, string? filePath, Func<Stream>? reopen, DicomReadOptions options, List<string> warnings)
    {
        var input = new DicomInput(source, filePath);
        var head = input.Peek(PreambleLength + 4);
        var hasPreamble = head.Length == PreambleLength + 4 && head[PreambleLength..].SequenceEqual("DICM"u8);
        if (hasPreamble)
        {
            input.Skip(PreambleLength + 4, default);
        }
        else if (head.Length >= 4 && head[..4].SequenceEqual("DICM"u8))
        {
            warnings.Add("file starts with DICM but has no preamble");
            input.Skip(4, default);
        }

        if (input.AtEnd)
        {
            throw input.Error("no data set: the file is empty after the preamble", null);
        }

        var meta = new DicomDataset();
        var metaReader = new DicomDatasetReader(input, options, reopen, warnings);
        if (input.Peek(2) is [0x02, 0x00])
        {
            metaReader.ReadTopLevel(meta, LooksExplicit(input), stop: tag => tag.Group != 0x0002);
        }
        else if (hasPreamble)
        {
            warnings.Add("no file meta information after DICM");
        }

        DicomTransferSyntax syntax;
        var uid = meta.GetUid(DicomTag.TransferSyntaxUid);
        if (!string.IsNullOrEmpty(uid))
        {
            syntax = DicomTransferSyntax.FromUid(uid);
        }
        else
        {
            syntax = Guess(input);
            warnings.Add($"no transfer syntax in the meta information; guessed {syntax.Name}");
        }

        var dataset = new DicomDataset();
        if (input.AtEnd)
        {
            return new DicomFile(filePath, meta, dataset, syntax, warnings);
        }

        if (syntax.IsDeflated)
        {
            source.Seek(input.Position, SeekOrigin.Begin);
            var inflated = new DicomInput(new DeflateStream(source, CompressionMode.Decompress, leaveOpen: true), filePath, options.MaxInflatedLength);
            new DicomDatasetReader(inflated, options, null, warnings).ReadTopLevel(dataset, explicitVr: true);
            return new DicomFile(filePath, meta, dataset, syntax, warnings);
        }

        input.BigEndian = syntax.IsBigEndian;
        var explicitVr = syntax.IsExplicitVr;
        if (LooksExplicit(input) != explicitVr)
        {
            // DCMTK's tolerance: the meta says one VR encoding, the data set uses the other.
            explicitVr = !explicitVr;
            warnings.Add($"data set is {(explicitVr ? "explicit" : "implicit")} VR although the transfer syntax is {syntax.Name}");
        }

        var reader = new DicomDatasetReader(input, options, reopen, warnings);
        reader.ReadTopLevel(dataset, explicitVr);
        return new DicomFile(filePath, meta, dataset, syntax, warnings)
        {
            PixelDataStart = reader.StoppedAtPixelData is { } offset && filePath is not null ? new DicomResumePoint(offset, explicitVr) : null,
        };
    }

    /// <summary>
    /// Goes on reading <paramref name="header"/>'s file from where its header read stopped (the pixel data element and
    /// anything after it), as if the whole file had been read with <paramref name="options"/>: the header is parsed
    /// once, not twice.
    /// </summary>
    /// <param name="header">A file read with <see cref="PixelDataReading.StopBefore"/> that stopped at its pixel data.</param>
    /// <param name="options">How to read the rest (pixel data loaded or deferred).</param>
    /// <returns>The whole file: the header's elements and the rest.</returns>
    /// <exception cref="DicomException">The rest of the file cannot be read.</exception>
    public static DicomFile ReadPixelData(DicomFile header, DicomReadOptions options)
    {
        var start = header.PixelDataStart ?? throw new ArgumentException("the header read did not stop at pixel data", nameof(header));
        var path = header.FilePath!;
        var warnings = new List<string>(header.Warnings);
        var dataset = new DicomDataset();
        foreach (var element in header.Dataset)
        {
            dataset.Set(element);
        }

        try
        {
            using var source = File.OpenRead(path);
            source.Seek(start.Offset, SeekOrigin.Begin);
            var input = new DicomInput(source, path) { BigEndian = header.TransferSyntax.IsBigEndian };
            new DicomDatasetReader(input, options, () => File.OpenRead(path), warnings).ReadTopLevel(dataset, start.ExplicitVr);
        }
        catch (IOException e)
        {
            throw new DicomException($"cannot read: {e.Message}", path, null, null, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DicomException($"cannot open: {e.Message}", path, null, null, e);
        }

        return new DicomFile(path, header.Meta, dataset, header.TransferSyntax, warnings);
    }

    /// <summary>True when the next element has two capital letters where explicit VR puts the VR.</summary>
    private static bool LooksExplicit(DicomInput input)
    {
        var span = input.Peek(6);
        return span.Length == 6 && DicomVrInfo.TryParse(span[4], span[5], out _);
    }

    /// <summary>The encoding of a data set without meta: byte order from the group number, VR from the first element.</summary>
    private static DicomTransferSyntax Guess(DicomInput input)
    {
        var span = input.Peek(6);
        if (span.Length < 6)
        {
            throw input.Error("too short to hold a data element", null);
        }

        var explicitVr = DicomVrInfo.TryParse(span[4], span[5], out _);
        var bigEndian = span[0] == 0 && span[1] != 0;
        return (explicitVr, bigEndian) switch
        {
            (true, true) => DicomTransferSyntax.ExplicitVrBigEndian,
            (true, false) => DicomTransferSyntax.ExplicitVrLittleEndian,
            _ => DicomTransferSyntax.ImplicitVrLittleEndian,
        };
    }
}
