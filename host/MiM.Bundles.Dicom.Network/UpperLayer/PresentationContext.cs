namespace MiM.Bundles.Dicom.Network.UpperLayer;

/// <summary>A presentation context as proposed in an A-ASSOCIATE-RQ: one abstract syntax, the transfer syntaxes offered for it.</summary>
/// <param name="Id">Odd number 1–255.</param>
/// <param name="AbstractSyntaxUid">The SOP class.</param>
/// <param name="TransferSyntaxUids">Offered transfer syntaxes, in the proposer's order of preference.</param>
public sealed record ProposedPresentationContext(byte Id, string AbstractSyntaxUid, IReadOnlyList<string> TransferSyntaxUids);

/// <summary>The answer to one proposed presentation context in an A-ASSOCIATE-AC.</summary>
/// <param name="Id">The proposed context's id.</param>
/// <param name="Result">0 acceptance, 1 user rejection, 2 no reason, 3 abstract syntax not supported, 4 transfer syntaxes not supported.</param>
/// <param name="TransferSyntaxUid">The chosen transfer syntax (meaningful only when accepted).</param>
public sealed record PresentationContextResult(byte Id, byte Result, string TransferSyntaxUid)
{
    /// <summary>Result code: accepted.</summary>
    public const byte Acceptance = 0;

    /// <summary>Result code: abstract syntax not supported.</summary>
    public const byte AbstractSyntaxNotSupported = 3;

    /// <summary>Result code: none of the transfer syntaxes is supported.</summary>
    public const byte TransferSyntaxesNotSupported = 4;

    /// <summary>Whether the context may carry messages.</summary>
    public bool Accepted => Result == Acceptance;
}

/// <summary>The user information both sides exchange (PS3.7 D.3.3, PS3.8 9.3.2.3).</summary>
/// <param name="MaximumLength">Largest P-DATA-TF PDU length the sender of this item can receive; 0 means no limit.</param>
/// <param name="ImplementationClassUid">Identifies the implementation.</param>
/// <param name="ImplementationVersionName">Optional version name, up to 16 characters.</param>
public sealed record UserInformation(uint MaximumLength, string ImplementationClassUid, string? ImplementationVersionName);

/// <summary>An A-ASSOCIATE-RQ.</summary>
/// <param name="CalledAeTitle">The AE title the requester calls.</param>
/// <param name="CallingAeTitle">The requester's AE title.</param>
/// <param name="ApplicationContextName">Always the DICOM application context, 1.2.840.10008.3.1.1.1.</param>
/// <param name="PresentationContexts">The proposed contexts.</param>
/// <param name="UserInformation">Maximum length and implementation identification.</param>
public sealed record AssociateRequest(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContextName,
    IReadOnlyList<ProposedPresentationContext> PresentationContexts,
    UserInformation UserInformation);

/// <summary>An A-ASSOCIATE-AC.</summary>
/// <param name="CalledAeTitle">Echo of the request's called AE title.</param>
/// <param name="CallingAeTitle">Echo of the request's calling AE title.</param>
/// <param name="ApplicationContextName">Always the DICOM application context.</param>
/// <param name="PresentationContexts">One result per proposed context.</param>
/// <param name="UserInformation">The acceptor's maximum length and implementation identification.</param>
public sealed record AssociateAccept(
    string CalledAeTitle,
    string CallingAeTitle,
    string ApplicationContextName,
    IReadOnlyList<PresentationContextResult> PresentationContexts,
    UserInformation UserInformation);
