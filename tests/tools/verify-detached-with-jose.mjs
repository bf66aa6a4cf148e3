// Verifies a detached-payload compact JWS (RFC 7515 Appendix F) with the independent `jose` library (panva/jose), using
// only a JWKS and the payload: the payload is reinserted as base64url and the flattened JWS verified.
// Usage: node verify-detached-with-jose.mjs <jwks.json file> <token file> <payload as hex> [expected typ]
// Prints the verified protected header as JSON; exits 1 when verification fails.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, flattenedVerify } from 'jose';

const [jwksFile, tokenFile, payloadHex, expectedTyp] = process.argv.slice(2);
const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const [protectedHeader, detached, signature] = readFileSync(tokenFile, 'utf8').trim().split('.');
try {
  if (detached !== '') {
    throw new Error('the payload is not detached');
  }
  const payload = Buffer.from(payloadHex, 'hex').toString('base64url');
  const result = await flattenedVerify({ protected: protectedHeader, payload, signature }, jwks, { algorithms: ['EdDSA', 'Ed25519'] });
  if (expectedTyp && result.protectedHeader.typ !== expectedTyp) {
    throw new Error(`typ is ${result.protectedHeader.typ}, expected ${expectedTyp}`);
  }
  console.log(JSON.stringify({ header: result.protectedHeader }));
} catch (e) {
  console.error(`verification failed: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
