// A C-ECHO + C-STORE requester built on dcmjs-dimse (not DCMTK): node dimse-store.js HOST PORT CALLED_AE CALLING_AE FILE...
// Prints one JSON line per response: {"kind":"echo"|"store","sop":UID,"status":N}; exits 1 on a network error.
const dcmjsDimse = require('dcmjs-dimse');

// dcmjs-dimse logs every PDU on stdout; keep stdout for the results.
dcmjsDimse.log.setLevel('silent');
const { Client } = dcmjsDimse;
const { CEchoRequest, CStoreRequest } = dcmjsDimse.requests;

const [host, port, calledAe, callingAe, ...files] = process.argv.slice(2);
const client = new Client();
const echo = new CEchoRequest();
echo.on('response', (r) => console.log(JSON.stringify({ kind: 'echo', status: r.getStatus() })));
client.addRequest(echo);
for (const file of files) {
  const request = new CStoreRequest(file);
  request.on('response', (r) => console.log(JSON.stringify({ kind: 'store', sop: r.getAffectedSopInstanceUid(), status: r.getStatus() })));
  client.addRequest(request);
}
let failed = false;
client.on('networkError', (e) => { console.log(JSON.stringify({ kind: 'error', message: String(e) })); failed = true; });
client.on('associationRejected', (r) => { console.log(JSON.stringify({ kind: 'rejected', reason: r })); failed = true; });
client.on('closed', () => process.exit(failed ? 1 : 0));
client.send(host, Number(port), callingAe, calledAe);
