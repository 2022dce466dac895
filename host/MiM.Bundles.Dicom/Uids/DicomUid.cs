namespace MiM.Bundles.Dicom.Uids;

/// <summary>What PS3.5 9.1 allows in a UID: at most 64 characters, dot-separated numeric components without leading zeros.</summary>
public static class DicomUid
{
    /// <summary>The longest UID PS3.5 allows.</summary>
    public const int MaxLength = 64;

    /// <summary>True when <paramref name="uid"/> is a well-formed UID.</summary>
    public static bool IsValid(string? uid)
    {
        if (string.IsNullOrEmpty(uid) || uid.Length > MaxLength)
        {
            return false;
        }

        foreach (var component in uid.Split('.'))
        {
            if (component.Length == 0 || !component.All(char.IsAsciiDigit) || (component.Length > 1 && component[0] == '0'))
            {
                return false;
            }
        }

        return true;
    }
}
