// HTTP load run against a running local host (loopback only), bounded in requests and time.
// Baseline: GET /.well-known/jwks.json (routing, no storage). Measured: POST /api/v1/verifications by credit code and by
// credential (signature check, two storage reads, a receipt blob and two index writes). Reported as ratios to the baseline.
// Then POST /api/v1/verifications/batch with 500 items (codes and credentials alternating), a few batches in turn,
// reported as items per second beside the single calls' requests per second.
// Usage: ./scripts/run.sh in one shell; then: node bench/http-load.mjs [requests=400] [concurrency=8]
import { readFileSync } from 'node:fs';

const base = 'http://127.0.0.1:7071';
const requests = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 8);
const deadline = Date.now() + 120_000;
const env = Object.fromEntries(readFileSync('.local/dev-keys.env', 'utf8').split('\n').filter(l => l.includes('='))
  .map(l => l.replace(/^export /, '').split('=')));

async function call(path, init = {}) {
  const r = await fetch(base + path, init);
  const body = await r.text();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${body}`);
  return body;
}

async function issueOne() {
  const headers = { 'X-API-Key': env.ELICENCE_REGISTRAR_KEY, 'Content-Type': 'application/json' };
  const app = JSON.parse(await call('/api/v1/applications', { method: 'POST', headers, body: JSON.stringify({
    name: '阿图什市压测有限公司', entityType: 'limited-liability-company', domicile: '阿图什市', legalRepresentative: '测试',
    registeredCapital: { amount: 1, currency: 'CNY' }, establishedOn: '2026-11-02', operatingTerm: { from: '2026-11-02', to: null },
    businessScope: '测试', registrationAuthority: '阿图什市市场监督管理局' }) }));
  for (;;) {
    const s = JSON.parse(await call(`/api/v1/applications/${app.id}`, { headers }));
    if (s.status === 'issued') return { code: s.creditCode, credential: await call(`/api/v1/licences/${s.creditCode}/credential`, { headers }) };
    if (s.status === 'failed' || Date.now() > deadline) throw new Error('issuance did not finish');
    await new Promise(r => setTimeout(r, 100));
  }
}

async function run(name, make) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < requests && Date.now() < deadline) {
      next++;
      const t = performance.now();
      await make();
      latencies.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = p => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
  return { name, n: latencies.length, rps: latencies.length / seconds, p50: pct(0.5), p95: pct(0.95) };
}

const { code, credential } = await issueOne();
const verifier = { 'X-API-Key': env.ELICENCE_VERIFIER_KEY, 'Content-Type': 'application/json' };
const results = [
  await run('baseline GET jwks', () => call('/.well-known/jwks.json')),
  await run('verify by code', () => call('/api/v1/verifications', { method: 'POST', headers: verifier, body: JSON.stringify({ creditCode: code }) })),
  await run('verify credential', () => call('/api/v1/verifications', { method: 'POST', headers: verifier, body: JSON.stringify({ credential }) })),
];
const baseline = results[0].rps;
console.log(`requests=${requests} concurrency=${concurrency}`);
for (const r of results) {
  console.log(`${r.name.padEnd(20)} n=${r.n} rps=${r.rps.toFixed(0).padStart(6)} p50=${r.p50}ms p95=${r.p95}ms throughput/baseline=${(r.rps / baseline).toFixed(3)}`);
}

// One batch at a time (a batch takes one permit of the verifier's verification-batch policy); 500 items each.
const items = Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? { creditCode: code } : { credential }));
const batchBody = JSON.stringify({ purpose: 'tender:bench', items });
const batchTimes = [];
for (let i = 0; i < 3 && Date.now() < deadline; i++) {
  const t = performance.now();
  const answer = JSON.parse(await call('/api/v1/verifications/batch', { method: 'POST', headers: verifier, body: batchBody }));
  batchTimes.push(performance.now() - t);
  if (answer.summary.valid !== items.length) throw new Error(`batch: ${JSON.stringify(answer.summary)}`);
}
const batchSeconds = batchTimes.reduce((a, b) => a + b, 0) / 1000;
const itemsPerSecond = (batchTimes.length * items.length) / batchSeconds;
console.log(`${'batch of 500'.padEnd(20)} n=${batchTimes.length} items/s=${itemsPerSecond.toFixed(0).padStart(6)} per-batch=${(batchSeconds * 1000 / batchTimes.length).toFixed(0)}ms `
  + `items/s vs verify-by-code rps=${(itemsPerSecond / results[1].rps).toFixed(2)}x`);
