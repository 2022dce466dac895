namespace MiM.Bundles.Dicom.IO;

/// <summary>The file offset of the top-level Pixel Data element and the VR encoding the data set was read with.</summary>
/// <param name="Offset">Offset of the element's tag from the start of the file.</param>
/// <param name="ExplicitVr">Whether the data set was read as explicit VR (the meta may have said otherwise).</param>
internal sealed record DicomResumePoint(long Offset, bool ExplicitVr);
