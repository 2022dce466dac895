namespace MiM.Bundles.Contracts.Results;

/// <summary>A display colour in sRGB, 0-255 per channel (DICOM-SEG converts it to CIELab on writing).</summary>
public readonly record struct RgbColour(byte R, byte G, byte B)
{
    /// <inheritdoc/>
    public override string ToString() => $"#{R:X2}{G:X2}{B:X2}";
}
