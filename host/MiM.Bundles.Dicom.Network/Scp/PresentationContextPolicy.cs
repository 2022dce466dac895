using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>
/// Decides the answer to each proposed presentation context: Verification and every storage SOP class (Segmentation
/// and SR included) are accepted in the first transfer syntax of ours the proposer offered; anything else is refused.
/// </summary>
internal sealed class PresentationContextPolicy(IReadOnlyList<string> transferSyntaxes)
{
    public PresentationContextResult Answer(ProposedPresentationContext proposed)
    {
        if (!IsSupportedAbstractSyntax(proposed.AbstractSyntaxUid))
        {
            return new PresentationContextResult(proposed.Id, PresentationContextResult.AbstractSyntaxNotSupported, DicomUids.ImplicitVrLittleEndian);
        }

        // Verification has no data set: any transfer syntax the proposer offers will do; implicit LE is mandatory.
        var candidates = proposed.AbstractSyntaxUid == DicomUids.Verification ? [DicomUids.ImplicitVrLittleEndian, .. transferSyntaxes] : transferSyntaxes;
        foreach (var ours in candidates)
        {
            if (proposed.TransferSyntaxUids.Contains(ours))
            {
                return new PresentationContextResult(proposed.Id, PresentationContextResult.Acceptance, ours);
            }
        }

        return new PresentationContextResult(proposed.Id, PresentationContextResult.TransferSyntaxesNotSupported, DicomUids.ImplicitVrLittleEndian);
    }

    private static bool IsSupportedAbstractSyntax(string uid)
        => uid == DicomUids.Verification || (uid.StartsWith(DicomUids.StorageSopClassRoot, StringComparison.Ordinal) && uid.Length > DicomUids.StorageSopClassRoot.Length);
}
