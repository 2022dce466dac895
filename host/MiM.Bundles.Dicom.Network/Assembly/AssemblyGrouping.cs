namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>What the series assembler groups instances by.</summary>
public enum AssemblyGrouping
{
    /// <summary>One group per Series Instance UID (the default: a bundle works on one series).</summary>
    Series,

    /// <summary>One group per Study Instance UID (for bundles that need several series of a study together).</summary>
    Study,
}
