namespace MiM.Bundles.Dicom.Core;

/// <summary>The value representations of PS3.5 section 6.2, plus <see cref="None"/> for items and delimiters.</summary>
public enum DicomVr
{
    /// <summary>No VR: items and delimitation items.</summary>
    None = 0,
#pragma warning disable CS1591 // The VR codes are the standard's own names (PS3.5 table 6.2-1).
    AE, AS, AT, CS, DA, DS, DT, FD, FL, IS, LO, LT, OB, OD, OF, OL, OV, OW, PN, SH, SL, SQ, SS, ST, SV, TM, UC, UI, UL, UN, UR, US, UT, UV,
#pragma warning restore CS1591
}
