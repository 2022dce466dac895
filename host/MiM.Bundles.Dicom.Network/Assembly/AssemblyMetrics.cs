using System.Diagnostics.Metrics;

namespace MiM.Bundles.Dicom.Network.Assembly;

/// <summary>The series assembler's instruments on the <c>MiM.Bundles.Dicom.Network.Storage</c> meter.</summary>
internal static class AssemblyMetrics
{
    private static readonly Meter Meter = new("MiM.Bundles.Dicom.Network.Storage");

    /// <summary>Groups handed on.</summary>
    public static readonly Counter<long> HandedOn = Meter.CreateCounter<long>("mim.dicom.assembler.handed_on", "{group}", "Complete series (or studies) handed on");
}
