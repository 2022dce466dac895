using MiM.Bundles.Dicom.Core;

namespace MiM.Bundles.Dicom.Dictionary;

/// <summary>What the data dictionary says about a tag.</summary>
/// <param name="Keyword">DCMTK's name (retired ones keep DCMTK's "RETIRED_" prefix, as dcmdump prints them).</param>
/// <param name="Vr">The VR used when the file carries none (implicit VR). Where several are allowed DCMTK's choice is
/// kept: "US or SS" reads as US, "OB or OW" as OW.</param>
/// <param name="AllowedVrs">The VRs the standard allows, e.g. "US or SS".</param>
/// <param name="Multiplicity">Value multiplicity, e.g. "1", "1-n", "3".</param>
/// <param name="IsRetired">True for retired attributes.</param>
public sealed record DicomDictionaryEntry(string Keyword, DicomVr Vr, string AllowedVrs, string Multiplicity, bool IsRetired);
