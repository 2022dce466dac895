namespace MiM.Bundles.Dicom.Core;

/// <summary>Encoding facts about each VR (PS3.5 section 6.2 and 7.1.2).</summary>
public static class DicomVrInfo
{
    /// <summary>Parses a two-letter VR code; false when the code is not a VR of PS3.5.</summary>
    public static bool TryParse(byte first, byte second, out DicomVr vr)
    {
        vr = DicomVr.None;
        if (first < 'A' || first > 'Z' || second < 'A' || second > 'Z')
        {
            return false;
        }

        Span<char> code = [(char)first, (char)second];
        return Enum.TryParse(code, ignoreCase: false, out vr) && vr != DicomVr.None;
    }

    /// <summary>VRs encoded in explicit VR with two reserved bytes and a 32-bit length.</summary>
    public static bool HasLongLength(DicomVr vr) => vr is DicomVr.OB or DicomVr.OD or DicomVr.OF or DicomVr.OL or DicomVr.OV
        or DicomVr.OW or DicomVr.SQ or DicomVr.SV or DicomVr.UC or DicomVr.UN or DicomVr.UR or DicomVr.UT or DicomVr.UV;

    /// <summary>Character-string VRs.</summary>
    public static bool IsString(DicomVr vr) => vr is DicomVr.AE or DicomVr.AS or DicomVr.CS or DicomVr.DA or DicomVr.DS
        or DicomVr.DT or DicomVr.IS or DicomVr.LO or DicomVr.LT or DicomVr.PN or DicomVr.SH or DicomVr.ST or DicomVr.TM
        or DicomVr.UC or DicomVr.UI or DicomVr.UR or DicomVr.UT;

    /// <summary>String VRs whose bytes follow Specific Character Set; the others are always the default repertoire.</summary>
    public static bool UsesCharacterSet(DicomVr vr) => vr is DicomVr.LO or DicomVr.LT or DicomVr.PN or DicomVr.SH
        or DicomVr.ST or DicomVr.UC or DicomVr.UT;

    /// <summary>String VRs that may hold several values separated by a backslash.</summary>
    public static bool IsMultiValuedString(DicomVr vr) => IsString(vr) && vr is not (DicomVr.LT or DicomVr.ST or DicomVr.UT or DicomVr.UR);

    /// <summary>Texts whose leading spaces are significant (PS3.5 table 6.2-1).</summary>
    public static bool KeepsLeadingSpaces(DicomVr vr) => vr is DicomVr.LT or DicomVr.ST or DicomVr.UT or DicomVr.UR or DicomVr.PN;

    /// <summary>Binary VRs (other than SQ): rendered as hex in dumps and base64 in JSON when not numbers.</summary>
    public static bool IsBulkBinary(DicomVr vr) => vr is DicomVr.OB or DicomVr.OD or DicomVr.OF or DicomVr.OL or DicomVr.OV
        or DicomVr.OW or DicomVr.UN;

    /// <summary>
    /// Byte size of one unit to swap between little and big endian: 1 for bytes and text, 2 for 16-bit words (AT is
    /// two 16-bit numbers), 4 and 8 for wider numbers.
    /// </summary>
    public static int SwapUnit(DicomVr vr) => vr switch
    {
        DicomVr.US or DicomVr.SS or DicomVr.OW or DicomVr.AT => 2,
        DicomVr.UL or DicomVr.SL or DicomVr.FL or DicomVr.OF or DicomVr.OL => 4,
        DicomVr.FD or DicomVr.OD or DicomVr.SV or DicomVr.UV or DicomVr.OV => 8,
        _ => 1,
    };

    /// <summary>Byte that pads a value to even length: NUL for UI and binary, space for text.</summary>
    public static byte PaddingByte(DicomVr vr) => IsString(vr) && vr != DicomVr.UI ? (byte)' ' : (byte)0;
}
