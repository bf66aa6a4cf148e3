// Reads an IETF Token Status List offline, as a verifier without network access to ELicence would: the signature with
// jose and the JWKS alone (ES256), the typ, then the statuses at the given indices with @sd-jwt/jwt-status-list.
// Usage: node check-token-status.mjs <jwks.json file> <status list JWT file> <idx> [idx ...]
// Prints {statuses, sub, iat, exp, ttl, bits} as JSON; exits 1 on any verification failure.
import { readFileSync } from 'node:fs';
import { createLocalJWKSet, compactVerify } from 'jose';
import { getListFromStatusListJWT } from '@sd-jwt/jwt-status-list';

const [jwksFile, listFile, ...indices] = process.argv.slice(2);
const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const token = readFileSync(listFile, 'utf8').trim();

try {
  const { payload, protectedHeader } = await compactVerify(token, jwks, { algorithms: ['ES256'] });
  if (protectedHeader.typ !== 'statuslist+jwt') throw new Error(`typ is ${protectedHeader.typ}`);
  const claims = JSON.parse(new TextDecoder().decode(payload));
  const list = getListFromStatusListJWT(token);
  const statuses = indices.map((i) => list.getStatus(Number(i)));
  console.log(JSON.stringify({ statuses, sub: claims.sub, iat: claims.iat, exp: claims.exp, ttl: claims.ttl, bits: claims.status_list.bits }));
} catch (e) {
  console.error(`verification failed: ${e.message}`);
  process.exit(1);
}
