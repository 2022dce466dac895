using System.Globalization;
using MiM.Bundles.Dicom.Network.Outbox;

namespace MiM.Bundles.Cli.Commands;

/// <summary>A peer written as AE@host:port on the command line.</summary>
internal sealed record DicomAddress(string AeTitle, string Host, int Port)
{
    public static bool TryParse(string text, out DicomAddress? address)
    {
        address = null;
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var colon = text.LastIndexOf(':');
        if (at <= 0 || at > 16 || colon <= at + 1 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            return false;
        }

        address = new DicomAddress(text[..at], text[(at + 1)..colon].Trim('[', ']'), port);
        return true;
    }

    /// <summary>The peer as a destination named by its AE title, called by us as <paramref name="callingAeTitle"/>.</summary>
    public DicomDestination ToDestination(string callingAeTitle) => new(AeTitle, AeTitle, Host, Port, callingAeTitle);

    public override string ToString() => $"{AeTitle}@{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}
