// Verifies an SD-JWT VC, or a presentation of one, with the independent @sd-jwt/sd-jwt-vc library (OpenWallet Foundation
// sd-jwt-js), using only the service's JWKS for the issuer and the credential's cnf.jwk for the key-binding JWT.
// Usage: node verify-sd-jwt.mjs <jwks.json file> <sd-jwt file> [nonce audience]
// With a nonce, the key-binding JWT is required and checked (signature with cnf.jwk, nonce, sd_hash, iat) and its aud must be
// the audience. Prints {header, payload (disclosed claims), kb} as JSON; exits 1 when verification fails. Offline: the
// credential's Token Status List entry is not fetched here (verify-sd-jwt-vc.mjs checks status and type metadata).
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { digest } from '@sd-jwt/crypto-nodejs';

const [jwksFile, tokenFile, nonce, audience] = process.argv.slice(2);
const jwks = JSON.parse(readFileSync(jwksFile, 'utf8'));
const token = readFileSync(tokenFile, 'utf8').trim();

const b64 = (s) => Buffer.from(s, 'base64url');
function verifyWith(jwk, data, signature) {
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  return jwk.kty === 'OKP'
    ? verify(null, Buffer.from(data), key, b64(signature))
    : verify('sha256', Buffer.from(data), { key, dsaEncoding: 'ieee-p1363' }, b64(signature));
}

// The library fetches status.status_list by itself; this offline check leaves it out.
class OfflineSdJwtVc extends SDJwtVcInstance {
  async verifyStatus() {}
}

const kid = JSON.parse(b64(token.split('.')[0]).toString('utf8')).kid;
const sdjwt = new OfflineSdJwtVc({
  hasher: digest,
  verifier: async (data, signature) => {
    const jwk = jwks.keys.find((k) => k.kid === kid);
    return jwk !== undefined && verifyWith(jwk, data, signature);
  },
  kbVerifier: async (data, signature, payload) => verifyWith(payload.cnf.jwk, data, signature),
});

try {
  const result = await sdjwt.verify(token, nonce ? { keyBindingNonce: nonce } : {});
  if (nonce && result.kb?.payload?.aud !== audience) {
    throw new Error(`aud is ${result.kb?.payload?.aud}, expected ${audience}`);
  }
  console.log(JSON.stringify({ header: result.header, payload: result.payload, kb: result.kb?.payload ?? null }));
} catch (e) {
  console.error(`verification failed: ${e.message}`);
  process.exit(1);
}
