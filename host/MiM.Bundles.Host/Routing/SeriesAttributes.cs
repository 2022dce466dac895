using System.Globalization;
using MiM.Bundles.Dicom;
using MiM.Bundles.Dicom.Core;
using MiM.Bundles.Dicom.Dictionary;

namespace MiM.Bundles.Host.Routing;

/// <summary>
/// What the router knows of a series: the values of its attributes by DICOM keyword (read from the header of one of its
/// instances) and the values derived from the whole series (<c>NumberOfSlices</c>, <c>Contrast</c>).
/// </summary>
public sealed class SeriesAttributes
{
    /// <summary>The derived attribute holding the number of images of the series.</summary>
    public const string NumberOfSlices = "NumberOfSlices";

    /// <summary>The derived attribute "YES" when ContrastBolusAgent or ContrastBolusRoute is present and not empty, else "NO".</summary>
    public const string Contrast = "Contrast";

    /// <summary>The derived attribute naming the image plane: AXIAL, CORONAL, SAGITTAL or OBLIQUE (within a tolerance).</summary>
    public const string Orientation = "Orientation";

    private readonly Dictionary<string, IReadOnlyList<string>> _values;

    /// <summary>Attributes from explicit values (keyword → values); used by tests and by file adapters.</summary>
    public SeriesAttributes(IReadOnlyDictionary<string, IReadOnlyList<string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        _values = new Dictionary<string, IReadOnlyList<string>>(values, StringComparer.OrdinalIgnoreCase);
        if (!_values.ContainsKey(Contrast))
        {
            var agent = Values("ContrastBolusAgent") ?? Values("ContrastBolusRoute");
            _values[Contrast] = [agent is { Count: > 0 } && agent.Any(v => !string.IsNullOrWhiteSpace(v)) ? "YES" : "NO"];
        }
    }

    /// <summary>The attributes of a series of <paramref name="instanceCount"/> instances whose first header is <paramref name="header"/>.</summary>
    public static SeriesAttributes FromHeader(DicomDataset header, int instanceCount)
    {
        ArgumentNullException.ThrowIfNull(header);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var element in header)
        {
            // Sequences, pixel data and other bulk binaries are not routing material.
            if (element is not DicomValueElement { Length: <= 1024 } || element.Tag.IsPrivate
                || element.Vr == DicomVr.OB || element.Vr == DicomVr.OW || element.Vr == DicomVr.UN)
            {
                continue;
            }

            var keyword = DicomDictionaryIndex.KeywordOf(element.Tag);
            if (keyword.Contains(' ', StringComparison.Ordinal))
            {
                continue;
            }

            try
            {
                values[keyword] = header.GetStrings(element.Tag);
            }
            catch (DicomException)
            {
                // A malformed value of an attribute no rule names must not keep the series from routing; a rule that
                // names it finds it missing and says so.
            }
        }

        var frames = header.GetInt32(new DicomTag(0x0028, 0x0008)) ?? 1;
        values[NumberOfSlices] = [(instanceCount == 1 ? Math.Max(frames, 1) : instanceCount).ToString(CultureInfo.InvariantCulture)];
        return new SeriesAttributes(values);
    }

    /// <summary>The values of <paramref name="keyword"/>, or null when the series does not have it.</summary>
    public IReadOnlyList<string>? Values(string keyword) => _values.GetValueOrDefault(keyword);

    /// <summary>
    /// The plane of the images from ImageOrientationPatient: AXIAL, CORONAL or SAGITTAL when the slice normal is within
    /// <paramref name="toleranceDegrees"/> of that axis, OBLIQUE otherwise; null when the attribute is missing or malformed.
    /// </summary>
    public string? Plane(double toleranceDegrees)
    {
        if (Values("ImageOrientationPatient") is not { Count: 6 } text
            || !text.All(t => double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
        {
            return null;
        }

        var v = text.Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        var normal = new[] { (v[1] * v[5]) - (v[2] * v[4]), (v[2] * v[3]) - (v[0] * v[5]), (v[0] * v[4]) - (v[1] * v[3]) };
        var length = Math.Sqrt(normal.Sum(n => n * n));
        if (length < 1e-6)
        {
            return null;
        }

        var cosine = Math.Cos(toleranceDegrees * Math.PI / 180);
        string[] planes = ["SAGITTAL", "CORONAL", "AXIAL"]; // normal along x (L), y (P), z (S)
        for (var axis = 0; axis < 3; axis++)
        {
            if (Math.Abs(normal[axis]) / length >= cosine)
            {
                return planes[axis];
            }
        }

        return "OBLIQUE";
    }
}
