using System.Diagnostics.Metrics;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>The storage SCP's instruments on the <c>MiM.Bundles.Dicom.Network.Storage</c> meter.</summary>
internal static class ScpMetrics
{
    private static readonly Meter Meter = new("MiM.Bundles.Dicom.Network.Storage");

    /// <summary>Connections served as associations (whatever their outcome).</summary>
    public static readonly Counter<long> Associations = Meter.CreateCounter<long>("mim.dicom.scp.associations", "{association}", "Connections the storage SCP served");

    /// <summary>Connections refused at once because the association limit was reached.</summary>
    public static readonly Counter<long> Refused = Meter.CreateCounter<long>("mim.dicom.scp.refused", "{association}", "Connections refused because the association limit was reached");

    /// <summary>Associations open now.</summary>
    public static readonly UpDownCounter<long> Active = Meter.CreateUpDownCounter<long>("mim.dicom.scp.active_associations", "{association}", "Associations open now");
}
