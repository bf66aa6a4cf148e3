// Offline check of a licence credential, as a verifier without network access to ELicence would do it, with independent
// libraries only: jose for the signatures, node:zlib and Buffer for GZIP and base64url.
// Usage: node check-status-offline.mjs <jwks.json> <credential.jwt> <status-list-dir> <now ISO-8601>
// <status-list-dir> holds the downloaded status list credentials as <purpose>-<list>.jwt.
// Prints one word: valid | revoked | suspended | expired | not-yet-in-force; exits 1 on any verification failure.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createLocalJWKSet, compactVerify } from 'jose';

const [jwksFile, credentialFile, listDir, nowText] = process.argv.slice(2);
const jwks = createLocalJWKSet(JSON.parse(readFileSync(jwksFile, 'utf8')));
const now = new Date(nowText);

async function verified(token) {
  const { payload } = await compactVerify(token.trim(), jwks, { algorithms: ['EdDSA', 'Ed25519'] });
  return JSON.parse(new TextDecoder().decode(payload));
}

function bit(encodedList, index) {
  if (!encodedList.startsWith('u')) throw new Error('encodedList is not multibase base64url');
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  if (bytes.length * 8 < 131072) throw new Error('status list shorter than 131072 entries');
  return (bytes[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
}

try {
  const vc = await verified(readFileSync(credentialFile, 'utf8'));
  const status = {};
  for (const entry of vc.credentialStatus) {
    if (entry.type !== 'BitstringStatusListEntry') throw new Error(`unexpected status entry type ${entry.type}`);
    const list = entry.statusListCredential.split('/').slice(-2).join('-');
    const listVc = await verified(readFileSync(`${listDir}/${list}.jwt`, 'utf8'));
    if (listVc.id !== entry.statusListCredential) throw new Error(`list id ${listVc.id} is not ${entry.statusListCredential}`);
    if (listVc.credentialSubject.statusPurpose !== entry.statusPurpose) throw new Error('status purpose mismatch');
    status[entry.statusPurpose] = bit(listVc.credentialSubject.encodedList, Number(entry.statusListIndex));
  }
  if (status.revocation) console.log('revoked');
  else if (status.suspension) console.log('suspended');
  else if (vc.validUntil && now >= new Date(vc.validUntil)) console.log('expired');
  else if (vc.validFrom && now < new Date(vc.validFrom)) console.log('not-yet-in-force');
  else console.log('valid');
} catch (e) {
  console.error(`offline check failed: ${e.code ?? ''} ${e.message}`);
  process.exit(1);
}
