// Expands a licence credential as JSON-LD (jsonld.js, safe mode) with the VC 2.0 context and the service's context
// served from local files, and checks that every term and type is defined by one of them: nothing dropped, nothing left
// to the VC 2.0 context's catch-all @vocab ("issuer-dependent"), every property an absolute IRI.
// Usage: node check-jsonld.mjs <credential.jwt | payload.json> <service-context.json> <service-context-url>
// Prints the expanded property and type IRIs as JSON; exits 1 naming what is undefined.
import { readFileSync } from 'node:fs';
import jsonld from 'jsonld';
import { contexts as vcContexts } from '@digitalbazaar/credentials-context';

const [credentialFile, contextFile, contextUrl] = process.argv.slice(2);
const text = readFileSync(credentialFile, 'utf8').trim();
const credential = text.startsWith('{') ? JSON.parse(text) : JSON.parse(Buffer.from(text.split('.')[1], 'base64url').toString('utf8'));
const local = new Map([...vcContexts].concat([[contextUrl, JSON.parse(readFileSync(contextFile, 'utf8'))]]));

const documentLoader = async (url) => {
  if (!local.has(url)) throw new Error(`no local copy of ${url}; refusing to fetch it`);
  return { contextUrl: null, documentUrl: url, document: local.get(url) };
};

const catchAll = 'https://www.w3.org/ns/credentials/issuer-dependent#';
const properties = new Set();
const types = new Set();
function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '@type') [].concat(value).forEach((t) => types.add(t));
    else if (!key.startsWith('@')) properties.add(key);
    walk(value);
  }
}

try {
  const expanded = await jsonld.expand(credential, { documentLoader, safe: true });
  walk(expanded);
  const undefinedTerms = [...properties, ...types].filter((iri) => iri.startsWith(catchAll) || !/^[a-z][a-z0-9+.-]*:/i.test(iri));
  if (undefinedTerms.length > 0) throw new Error(`terms not defined by a context: ${undefinedTerms.join(', ')}`);
  console.log(JSON.stringify({ properties: [...properties].sort(), types: [...types].sort() }));
} catch (e) {
  console.error(`json-ld check failed: ${e.name ?? ''} ${e.message}${e.details ? ' ' + JSON.stringify(e.details) : ''}`);
  process.exit(1);
}
