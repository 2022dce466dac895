namespace MiM.Bundles.Dicom.Network.Outbox;

/// <summary>The configured destinations, as bound from JSON (e.g. the <c>Dicom:Destinations</c> section of appsettings.json).</summary>
public sealed record DestinationsOptions
{
    /// <summary>The destinations; names must be unique.</summary>
    public IReadOnlyList<DestinationOptions> Destinations { get; init; } = [];

    /// <summary>The destinations as the sender sees them; throws <see cref="ArgumentException"/> on a bad or repeated name.</summary>
    public IReadOnlyList<DicomDestination> ToDestinations()
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var destinations = new List<DicomDestination>(Destinations.Count);
        foreach (var options in Destinations)
        {
            var destination = options.ToDestination();
            if (!names.Add(destination.Name))
            {
                throw new ArgumentException($"destination '{destination.Name}' is configured twice (names are case-insensitive: they are folder names)");
            }

            destinations.Add(destination);
        }

        return destinations;
    }
}

/// <summary>One destination: a storage SCP results are sent to.</summary>
public sealed record DestinationOptions
{
    /// <summary>The name logs and the outbox's folders use: letters, digits, '-', '_' and '.', starting with a letter or digit.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>The destination's AE title (the called AE title).</summary>
    public string AeTitle { get; init; } = string.Empty;

    /// <summary>Host name or address.</summary>
    public string Host { get; init; } = string.Empty;

    /// <summary>TCP port.</summary>
    public int Port { get; init; } = 104;

    /// <summary>Our AE title towards this destination.</summary>
    public string CallingAeTitle { get; init; } = "MIMBUNDLES";

    /// <summary>Validates and converts; throws <see cref="ArgumentException"/> saying which field is wrong.</summary>
    public DicomDestination ToDestination()
    {
        if (!OutboxLayout.IsValidDestinationName(Name))
        {
            throw new ArgumentException($"destination name '{Name}' is not usable as a folder name: use letters, digits, '-', '_' and '.', starting with a letter or digit, at most 64 characters, not 'dead-letter' or 'sent'");
        }

        ValidateAeTitle(AeTitle, nameof(AeTitle));
        ValidateAeTitle(CallingAeTitle, nameof(CallingAeTitle));
        if (string.IsNullOrWhiteSpace(Host))
        {
            throw new ArgumentException($"destination '{Name}': no host");
        }

        if (Port is < 1 or > 65535)
        {
            throw new ArgumentException($"destination '{Name}': port {Port} is outside 1..65535");
        }

        return new DicomDestination(Name, AeTitle, Host, Port, CallingAeTitle);
    }

    private void ValidateAeTitle(string value, string field)
    {
        // PS3.5 AE: 1-16 characters of the default repertoire without backslash or control characters, not all spaces.
        if (string.IsNullOrWhiteSpace(value) || value.Length > 16 || value.Any(c => c is < ' ' or > '~' or '\\'))
        {
            throw new ArgumentException($"destination '{Name}': {field} '{value}' is not an AE title (1-16 printable ASCII characters, no backslash)");
        }
    }
}
