namespace MiM.Bundles.Dicom.Network.Inbox;

/// <summary>The UID value representation's syntax (PS3.5 9.1): digits and dots, at most 64 characters.</summary>
internal static class DicomUidSyntax
{
    /// <summary>True when <paramref name="value"/> is a well-formed UID; only such values ever become file or folder names.</summary>
    public static bool IsValid(string? value)
        => value is { Length: > 0 and <= 64 }
           && value.All(c => c is '.' or (>= '0' and <= '9'))
           && !value.StartsWith('.')
           && !value.EndsWith('.')
           && !value.Contains("..", StringComparison.Ordinal);
}
