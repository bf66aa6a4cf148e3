// A wallet built on @openid4vc/openid4vci (OpenWallet Foundation oid4vc-ts): resolves a credential offer by reference,
// discovers the issuer's metadata, redeems the pre-authorised code with its transaction code, gets a nonce, proves
// possession of its own keys (jwt proofs) and receives one SD-JWT VC per key in one credential request.
// Usage: node openid4vci-wallet.mjs <offer-uri> <tx-code> <alg,alg,...>
// Prints JSON: { credentialIssuer, configurationId, credentials: [..], keys: [private JWK..], notificationId, notified }.
import crypto from 'node:crypto';
import { Openid4vciClient } from '@openid4vc/openid4vci';
import { clientAuthenticationAnonymous } from '@openid4vc/oauth2';
import { setGlobalConfig } from '@openid4vc/utils';
import * as jose from 'jose';

const [offerUri, txCode, algList] = process.argv.slice(2);
// The test host runs on http://127.0.0.1; the library insists on https otherwise.
setGlobalConfig({ allowInsecureUrls: true });

const keys = [];
for (const alg of (algList ?? 'ES256').split(',')) {
  const pair = await jose.generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  keys.push({ alg, privateJwk: await jose.exportJWK(pair.privateKey), publicJwk: await jose.exportJWK(pair.publicKey), privateKey: pair.privateKey });
}

const signJwt = async (signer, { header, payload }) => {
  const key = keys.find(k => k.publicJwk.x === signer.publicJwk?.x);
  if (!key) throw new Error('no private key for signer');
  const jwt = await new jose.SignJWT(payload).setProtectedHeader(header).sign(key.privateKey);
  return { jwt, signerJwk: signer.publicJwk };
};

const client = new Openid4vciClient({
  callbacks: {
    fetch,
    hash: (data, alg) => crypto.createHash(alg.replace('-', '').toLowerCase()).update(data).digest(),
    generateRandom: bytes => crypto.randomBytes(bytes),
    clientAuthentication: clientAuthenticationAnonymous(),
    signJwt,
  },
});

const offer = await client.resolveCredentialOffer(offerUri);
const issuerMetadata = await client.resolveIssuerMetadata(offer.credential_issuer);
const configurationId = offer.credential_configuration_ids[0];
const { accessTokenResponse } = await client.retrievePreAuthorizedCodeAccessTokenFromOffer({ credentialOffer: offer, issuerMetadata, txCode });
const { c_nonce } = await client.requestNonce({ issuerMetadata });
const jwts = [];
for (const key of keys) {
  const { jwt } = await client.createCredentialRequestJwtProof({
    issuerMetadata, credentialConfigurationId: configurationId, nonce: c_nonce, issuedAt: new Date(),
    signer: { method: 'jwk', alg: key.alg, publicJwk: key.publicJwk },
  });
  jwts.push(jwt);
}
const response = await client.retrieveCredentials({
  issuerMetadata, accessToken: accessTokenResponse.access_token, credentialConfigurationId: configurationId, proofs: { jwt: jwts },
});
const body = response.credentialResponse;
let notified = false;
if (body.notification_id) {
  await client.sendNotification({ issuerMetadata, accessToken: accessTokenResponse.access_token, notification: { notificationId: body.notification_id, event: 'credential_accepted' } });
  notified = true;
}
console.log(JSON.stringify({
  credentialIssuer: issuerMetadata.credentialIssuer.credential_issuer,
  configurationId,
  format: issuerMetadata.credentialIssuer.credential_configurations_supported[configurationId].format,
  credentials: body.credentials.map(c => c.credential),
  keys: keys.map(k => ({ ...k.privateJwk, alg: k.alg })),
  notificationId: body.notification_id,
  notified,
}));
