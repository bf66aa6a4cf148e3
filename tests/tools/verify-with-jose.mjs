// Verifies a compact JWS with the independent `jose` library (panva/jose), using only a JWKS.
// Usage: node verify-with-jose.mjs <jwks.json file> <token file> [expected typ]
// Prints the verified protected header and payload as JSON; exits 1 when verification fails.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, compactVerify } from 'jose';

const [jwksFile, tokenFile, expectedTyp] = process.argv.slice(2);
const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const token = readFileSync(tokenFile, 'utf8').trim();
try {
  const { payload, protectedHeader } = await compactVerify(token, jwks, { algorithms: ['EdDSA', 'Ed25519'] });
  if (expectedTyp && protectedHeader.typ !== expectedTyp) {
    throw new Error(`typ is ${protectedHeader.typ}, expected ${expectedTyp}`);
  }
  console.log(JSON.stringify({ header: protectedHeader, payload: JSON.parse(new TextDecoder().decode(payload)) }));
} catch (e) {
  console.error(`verification failed: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
