// Verifies an SD-JWT VC as a HAIP wallet or verifier would, with the independent @sd-jwt/sd-jwt-vc library (OpenWallet
// Foundation sd-jwt-js): the issuer signature with the key the JWKS names by kid, the x5c leaf holding that same key, the
// status through @sd-jwt/jwt-status-list (the Token Status List the credential's status.status_list names, fetched with
// Accept application/statuslist+jwt and verified with the same JWKS), and the type metadata fetched from the vct URL.
// The issuer's public origin is mapped to <service base> (the test host), as a DNS entry would.
// Usage: node verify-sd-jwt-vc.mjs <jwks.json file> <sd-jwt file> <service base> <issuer origin>
// Prints {header, payload, status, typeMetadata} as JSON (status: 0 VALID, 1 INVALID, 2 SUSPENDED); exits 1 on failure.
import { readFileSync } from 'node:fs';
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';

const [jwksFile, tokenFile, base, issuerOrigin] = process.argv.slice(2);
const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
const token = readFileSync(tokenFile, 'utf8').trim();
const local = (url) => (url.startsWith(issuerOrigin) ? base.replace(/\/$/, '') + url.slice(issuerOrigin.length) : url);

const b64 = (s) => Buffer.from(s, 'base64url');
const headerOf = (jwt) => JSON.parse(b64(jwt.split('.')[0]).toString('utf8'));
function verifyWith(jwk, data, signature) {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return jwk.kty === 'OKP'
    ? verify(null, Buffer.from(data), key, b64(signature))
    : verify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, b64(signature));
}

// The key a JWT's kid names in the JWKS; its x5c leaf (when the header has one) must hold the same public key.
function issuerVerifier(jwt) {
  const header = headerOf(jwt);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (jwk === undefined) throw new Error(`kid ${header.kid} is not in the JWKS`);
  if (header.x5c) {
    const leaf = new X509Certificate(Buffer.from(header.x5c[0], 'base64'));
    const fromLeaf = leaf.publicKey.export({ format: 'jwk' });
    if (fromLeaf.x !== jwk.x || fromLeaf.y !== jwk.y) throw new Error('the x5c leaf does not hold the key the kid names');
  }
  return (data, signature) => verifyWith(jwk, data, signature);
}

let status;
const sdjwt = new SDJwtVcInstance({
  hasher: digest,
  verifier: async (data, signature) => issuerVerifier(token.split('~')[0])(data, signature),
  statusVerifier: async (data, signature) => issuerVerifier(data)(data, signature),
  statusListFetcher: async (uri) => {
    const response = await fetch(local(uri), { headers: { Accept: 'application/statuslist+jwt' } });
    if (!response.ok) throw new Error(`status list ${uri}: ${response.status}`);
    if (!response.headers.get('content-type')?.includes('application/statuslist+jwt')) throw new Error('status list content type');
    return response.text();
  },
  statusValidator: async (value) => { status = value; },
  loadTypeMetadataFormat: true,
  vctFetcher: async (uri) => {
    const response = await fetch(local(uri));
    if (!response.ok) throw new Error(`type metadata ${uri}: ${response.status}`);
    return response.json();
  },
});

try {
  const header = headerOf(token);
  if (header.typ !== 'dc+sd-jwt') throw new Error(`typ is ${header.typ}`);
  const result = await sdjwt.verify(token, {});
  console.log(JSON.stringify({ header: result.header, payload: result.payload, status, typeMetadata: result.typeMetadata?.mergedTypeMetadata ?? null }));
} catch (e) {
  console.error(`verification failed: ${e.message}`);
  process.exit(1);
}
