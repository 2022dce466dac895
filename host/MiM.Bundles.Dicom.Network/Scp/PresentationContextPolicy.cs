using MiM.Bundles.Dicom.Network.UpperLayer;

namespace MiM.Bundles.Dicom.Network.Scp;

/// <summary>
/// Decides the answer to each proposed presentation context: Verification and every storage SOP class (Segmentation
/// and SR included) are accepted in the first of the proposer's transfer syntaxes that we support — the proposer
/// lists the one its data is in first (DCMTK's storescu does), so nothing needs converting — anything else is refused.
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
        var verification = proposed.AbstractSyntaxUid == DicomUids.Verification;
        foreach (var theirs in proposed.TransferSyntaxUids)
        {
            if (transferSyntaxes.Contains(theirs) || (verification && theirs == DicomUids.ImplicitVrLittleEndian))
            {
                return new PresentationContextResult(proposed.Id, PresentationContextResult.Acceptance, theirs);
            }
        }

        return new PresentationContextResult(proposed.Id, PresentationContextResult.TransferSyntaxesNotSupported, DicomUids.ImplicitVrLittleEndian);
    }

    private static bool IsSupportedAbstractSyntax(string uid)
        => uid == DicomUids.Verification || (uid.StartsWith(DicomUids.StorageSopClassRoot, StringComparison.Ordinal) && uid.Length > DicomUids.StorageSopClassRoot.Length);
}
