// A storage SCP built on dcmjs-dimse (not DCMTK): node dimse-scp.js PORT AE OUT_DIR
// Accepts Verification and any storage SOP class in implicit/explicit little endian, writes each instance to OUT_DIR,
// prints "listening" once ready and one line "stored UID" per instance.
const fs = require('fs');
const path = require('path');
const dcmjsDimse = require('dcmjs-dimse');

// dcmjs-dimse logs every PDU on stdout; keep stdout for the results.
dcmjsDimse.log.setLevel('warn');
const { Server, Scp } = dcmjsDimse;
const { CEchoResponse, CStoreResponse } = dcmjsDimse.responses;
const { Status, PresentationContextResult, RejectResult, RejectSource, RejectReason, TransferSyntax, SopClass } = dcmjsDimse.constants;

const [port, aeTitle, outDir] = process.argv.slice(2);

class StorageScp extends Scp {
  associationRequested(association) {
    if (association.getCalledAeTitle() !== aeTitle) {
      this.sendAssociationReject(RejectResult.Permanent, RejectSource.ServiceUser, RejectReason.CalledAeNotRecognized);
      return;
    }
    for (const c of association.getPresentationContexts()) {
      const context = association.getPresentationContext(c.id);
      const sop = context.getAbstractSyntaxUid();
      if (sop !== SopClass.Verification && !sop.startsWith('1.2.840.10008.5.1.4.1.1.')) {
        context.setResult(PresentationContextResult.RejectAbstractSyntaxNotSupported);
        continue;
      }
      const syntax = context.getTransferSyntaxUids().find((t) => t === TransferSyntax.ExplicitVRLittleEndian || t === TransferSyntax.ImplicitVRLittleEndian);
      if (syntax) {
        context.setResult(PresentationContextResult.Accept, syntax);
      } else {
        context.setResult(PresentationContextResult.RejectTransferSyntaxesNotSupported);
      }
    }
    this.sendAssociationAccept();
  }

  cEchoRequest(request, callback) {
    const response = CEchoResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  cStoreRequest(request, callback) {
    const uid = request.getAffectedSopInstanceUid();
    request.getDataset().toFile(path.join(outDir, uid + '.dcm'));
    console.log('stored ' + uid);
    const response = CStoreResponse.fromRequest(request);
    response.setStatus(Status.Success);
    callback(response);
  }

  associationReleaseRequested() {
    this.sendAssociationReleaseResponse();
  }
}

const server = new Server(StorageScp);
server.on('networkError', (e) => console.log('network error ' + e));
server.listen(Number(port));
console.log('listening');
