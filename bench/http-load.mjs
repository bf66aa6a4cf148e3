// HTTP load run of the verification endpoints against a raw-storage baseline measured in the same run (issue 11).
//
//   node bench/http-load.mjs [verify] [options]   verification by code, by credential, batch per item, baseline
//   node bench/http-load.mjs issuance [options]   N applications submitted at once, timed until all are issued
//
// Start the host with the bench rate limits first: ./scripts/run.sh --release --bench (see docs/performance.md).
//
// Options:
//   --base URL             the host (default http://127.0.0.1:7071); any URL works, e.g. a deployed Function App
//   --storage CS           storage connection string of that host, for the baseline and the issuance storage check.
//                          Default: $ELICENCE_BENCH_STORAGE, else (loopback base only) $AzureWebJobsStorage when it is a
//                          connection string, else the development storage (Azurite on 127.0.0.1:10000-10002).
//                          Without one (a remote base and none given) the baseline is skipped.
//   --concurrency 8,32     the levels, each measured in turn (default 8,32)
//   --requests N           requests per measurement and level (default 400)
//   --licences N           licences issued for the run; verifications and batch items rotate over them (default 250:
//                          a batch's 500 items name each licence twice, once by code and once by credential)
//   --batches N            batches of 500 items per level (default 3), concurrency / 16 at a time (a batch checks 16
//                          items at once, so batches and single calls keep as many checks in flight)
//   --count N              issuance mode: applications submitted at once (default 200)
//   --deadline S           the whole run stops within S seconds (default 300); what was measured until then is printed
//   --keys FILE            API keys (default .local/dev-keys.env); $ELICENCE_REGISTRAR_KEY / $ELICENCE_VERIFIER_KEY win
//
// Baseline, per iteration: the storage work a verification needs at minimum, with the Azure SDKs against the host's own
// storage: one partition query of the `licences` table returning a licence and its permits (rows `current` and
// `permit-…` of a licence issued for this run), then, together, one write-once upload of a receipt-sized blob under a
// new name and one index row insert (container `bench-baseline-{run}`, table `benchbaseline{run}`, both of this run
// only and removed at the end).
// Round trips per verification are read from the ELicence-Storage-Round-Trips response header
// (Diagnostics__StorageRoundTripsHeader=true, on in local.settings.sample.json).
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    base: { type: 'string', default: 'http://127.0.0.1:7071' },
    storage: { type: 'string' },
    concurrency: { type: 'string', default: '8,32' },
    requests: { type: 'string', default: '400' },
    licences: { type: 'string', default: '250' },
    batches: { type: 'string', default: '3' },
    count: { type: 'string', default: '200' },
    deadline: { type: 'string', default: '300' },
    keys: { type: 'string', default: '.local/dev-keys.env' },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  // The usage is this file's opening comment.
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter(l => l.startsWith('//')).map(l => l.slice(3)).join('\n'));
  process.exit(0);
}
const mode = positionals[0] ?? 'verify';
if (!['verify', 'issuance'].includes(mode)) throw new Error(`Unknown mode '${mode}': verify or issuance.`);
const positive = (name) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, not '${opt[name]}'.`);
  return n;
};
const base = opt.base.replace(/\/+$/, '');
const levels = opt.concurrency.split(',').map(s => {
  const n = Number(s);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--concurrency is a list of positive integers, not '${opt.concurrency}'.`);
  return n;
});
const requests = positive('requests');
const licenceCount = positive('licences');
const batchCount = positive('batches');
const deadline = Date.now() + positive('deadline') * 1000;
const BatchSize = 500;

const keys = { ...readKeys(opt.keys), ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('ELICENCE_') && k.endsWith('_KEY'))) };
const registrar = { 'X-API-Key': keys.ELICENCE_REGISTRAR_KEY, 'Content-Type': 'application/json' };
const verifier = { 'X-API-Key': keys.ELICENCE_VERIFIER_KEY, 'Content-Type': 'application/json' };
const storage = storageConnectionString();

function readKeys(file) {
  try {
    return Object.fromEntries(readFileSync(file, 'utf8').split('\n').filter(l => l.includes('='))
      .map(l => l.replace(/^export /, '').split('=')).map(([k, ...v]) => [k.trim(), v.join('=').trim()]));
  } catch (e) {
    if (e.code === 'ENOENT') return {};
    throw e;
  }
}

function storageConnectionString() {
  if (opt.storage) return opt.storage;
  if (process.env.ELICENCE_BENCH_STORAGE) return process.env.ELICENCE_BENCH_STORAGE;
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(base).hostname)) return null;
  const host = process.env.AzureWebJobsStorage;
  if (host && !/UseDevelopmentStorage=true/i.test(host)) return host;
  // Azurite's well-known development account, as UseDevelopmentStorage=true means to the host.
  return 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;'
    + 'BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;';
}

/** One HTTP call; a non-2xx answer stops the run with its problem (a 429 means the host runs without --bench limits). */
async function call(path, init = {}) {
  const r = await fetch(base + path, init);
  const body = await r.text();
  if (!r.ok) {
    const hint = r.status === 429 ? ' (rate limited: start the host with ./scripts/run.sh --bench)' : '';
    throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status}${hint} ${body.slice(0, 500)}`);
  }
  return { body, roundTrips: r.headers.get('ELicence-Storage-Round-Trips') };
}

const json = async (path, init) => JSON.parse((await call(path, init)).body);

/**
 * Runs make() count times (or until the deadline) from concurrency workers; latencies in ms, round trips when reported.
 * First warmup calls (100, or 2 x concurrency if more) that are not recorded: connections opened, the host's and the
 * SDKs' code compiled to its optimised tier. Client CPU per call (cli ms) shows what the load generator itself costs.
 */
async function measure(name, concurrency, count, make, { warmup = Math.max(100, 2 * concurrency), itemsPerCall = 1 } = {}) {
  let warm = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (warm < warmup) await make(count + warm++);
  }));
  const latencies = [];
  const trips = [];
  let next = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count && Date.now() < deadline) {
      const i = next++;
      const t = performance.now();
      const roundTrips = await make(i);
      latencies.push(performance.now() - t);
      if (roundTrips != null) trips.push(Number(roundTrips));
    }
  }));
  const used = process.cpuUsage(cpu);
  return { ...summarize(name, latencies, (performance.now() - started) / 1000, trips, itemsPerCall), clientCpu: (used.user + used.system) / 1000 / latencies.length };
}

function summarize(name, latencies, seconds, trips = [], itemsPerCall = 1) {
  const sorted = [...latencies].sort((a, b) => a - b);
  // Nearest-rank percentile.
  const pct = p => sorted.length === 0 ? NaN : sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
  return {
    name, n: sorted.length, rate: (sorted.length * itemsPerCall) / seconds, p50: pct(0.5), p99: pct(0.99),
    trips: trips.length === 0 ? null : trips.reduce((a, b) => a + b, 0) / trips.length / itemsPerCall,
    tripsMax: trips.length === 0 ? null : Math.max(...trips),
  };
}

async function submit(name) {
  return json('/api/v1/applications', { method: 'POST', headers: registrar, body: JSON.stringify({
    name, entityType: 'limited-liability-company', domicile: '阿图什市', legalRepresentative: '测试',
    registeredCapital: { amount: 1, currency: 'CNY' }, establishedOn: '2026-11-02', operatingTerm: { from: '2026-11-02', to: null },
    businessScope: '测试', registrationAuthority: '阿图什市市场监督管理局' }) });
}

/** Polls the applications (a few at a time, again and again without pause) until each is issued; resolves with what each answered and when. */
async function untilIssued(ids, parallel = 4) {
  const done = new Map();
  while (done.size < ids.length) {
    if (Date.now() > deadline) throw new Error(`deadline reached with ${ids.length - done.size} of ${ids.length} applications not issued`);
    const pending = ids.filter(id => !done.has(id));
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(parallel, pending.length) }, async () => {
      while (next < pending.length) {
        const id = pending[next++];
        const s = await json(`/api/v1/applications/${id}`, { headers: registrar });
        if (s.status === 'issued') done.set(id, { ...s, seenAt: performance.now() });
        else if (s.status !== 'pending') throw new Error(`application ${id} ended ${s.status}: ${s.failureReason ?? ''}`);
      }
    }));
  }
  return done;
}

const fmt = (n, digits = 0) => Number.isFinite(n) ? n.toFixed(digits) : 'n/a';

function printTable(title, rows, baseline) {
  console.log(`\n${title}`);
  console.log(`${'measure'.padEnd(24)} ${'n'.padStart(5)} ${'per s'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  ${'rate/base'.padStart(9)} ${'p50/base'.padStart(8)} ${'p99/base'.padStart(8)}  ${'cli ms'.padStart(6)}  round trips; background left`);
  for (const r of rows) {
    const ratio = (a, b) => baseline && r !== baseline ? fmt(a / b, 2) : (r === baseline ? '1.00' : 'n/a');
    console.log(`${r.name.padEnd(24)} ${String(r.n).padStart(5)} ${fmt(r.rate).padStart(7)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)}  `
      + `${ratio(r.rate, baseline?.rate).padStart(9)} ${ratio(r.p50, baseline?.p50).padStart(8)} ${ratio(r.p99, baseline?.p99).padStart(8)}  `
      + `${fmt(r.clientCpu, 2).padStart(6)}  `
      + (r.trips == null ? '-' : `${fmt(r.trips, 2)} avg, ${r.tripsMax} max${r.itemsPerCall ? ' per batch' : ''}`)
      + (r.settle == null ? '' : `; ${fmt(r.settle, 1)} s`));
  }
}

/** The raw-storage loop: the least storage work a verification needs, straight through the Azure SDKs. */
function makeBaseline(codes, receiptBytes) {
  const licences = TableClient.fromConnectionString(storage, 'licences', { allowInsecureConnection: true });
  // Names of this run only, so that removing them at the end can never remove anything else.
  const run = randomUUID().replaceAll('-', '').slice(0, 12);
  const index = TableClient.fromConnectionString(storage, `benchbaseline${run}`, { allowInsecureConnection: true });
  const container = BlobServiceClient.fromConnectionString(storage).getContainerClient(`bench-baseline-${run}`);
  const receipt = Buffer.alloc(receiptBytes, 'a');
  return {
    async setUp() {
      await index.createTable();
      await container.create();
    },
    async once(i) {
      const code = codes[i % codes.length];
      let rows = 0;
      for await (const _ of licences.listEntities({ queryOptions: {
        filter: `PartitionKey eq '${code}' and (RowKey eq 'current' or (RowKey ge 'permit-' and RowKey lt 'permit.'))` } })) rows++;
      if (rows === 0) throw new Error(`baseline: licence ${code} not found in the licences table of the storage given (is it the host's?)`);
      const id = 'rcpt_' + randomUUID().replaceAll('-', '');
      await Promise.all([
        container.getBlockBlobClient(`${id}.jwt`).uploadData(receipt, { conditions: { ifNoneMatch: '*' }, blobHTTPHeaders: { blobContentType: 'application/jwt' } }),
        index.createEntity({ partitionKey: code, rowKey: id, ReceiptId: id, VerifierId: 'bench', VerifiedAt: new Date(), Valid: true }),
      ]);
      return null;
    },
    async tearDown() {
      await index.deleteTable();
      await container.deleteIfExists();
    },
  };
}

async function issueLicences(n) {
  const apps = [];
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(16, n) }, async () => {
    while (next < n) {
      const i = next++;
      apps.push((await submit(`阿图什市压测${i}号有限公司`)).id);
    }
  }));
  const issued = await untilIssued(apps);
  const codes = [...issued.values()].map(s => s.creditCode);
  const credentials = [];
  for (const code of codes) credentials.push((await call(`/api/v1/licences/${code}/credential`, { headers: registrar })).body);
  return { codes, credentials };
}

/**
 * Waits (up to 60 s) until the host's deferred work is done — licence outbox rows and status syncs of the issuances,
 * receipt journal rows of the verifications (the relay; not its watermark row) — so that one measure's background work does not run in the
 * next one's window. Returns the seconds waited, printed beside the measure: work a measure left behind.
 */
async function settle() {
  if (!storage) return null;
  const started = performance.now();
  const pending = async (table, filter) => {
    try {
      for await (const _ of TableClient.fromConnectionString(storage, table, { allowInsecureConnection: true })
        .listEntities({ queryOptions: { filter, select: ['RowKey'] } })) return true;
    } catch (e) {
      if (e.statusCode !== 404) throw e; // a table this version of the host does not have
    }
    return false;
  };
  while (Date.now() < deadline && performance.now() - started < 60_000
    && (await pending('licences', "(RowKey ge 'outbox-' and RowKey lt 'outbox.') or RowKey eq 'status-sync'")
      || await pending('receiptjournal', "PartitionKey ne 'watermark'"))) {
    await new Promise(r => setTimeout(r, 250));
  }
  return (performance.now() - started) / 1000;
}

async function verifyMode() {
  console.log(`base=${base} storage=${storage ? 'given' : 'none (no baseline)'} licences=${licenceCount} requests=${requests} concurrency=${levels.join(',')} batch=${BatchSize}x${batchCount}`);
  const { codes, credentials } = await issueLicences(licenceCount);
  const byCode = i => JSON.stringify({ creditCode: codes[i % codes.length] });
  const byCredential = i => JSON.stringify({ credential: credentials[i % credentials.length] });
  const verify = async body => {
    const r = await call('/api/v1/verifications', { method: 'POST', headers: verifier, body });
    if (!JSON.parse(r.body).valid) throw new Error(`verification not valid: ${r.body.slice(0, 300)}`);
    return r.roundTrips;
  };
  // The baseline's blob is as large as a real receipt of this run.
  const sample = JSON.parse((await call('/api/v1/verifications', { method: 'POST', headers: verifier, body: byCode(0) })).body);
  const receiptBytes = Buffer.byteLength((await call(sample.receipt.url, { headers: verifier })).body);
  const baseline = storage ? makeBaseline(codes, receiptBytes) : null;
  await baseline?.setUp();
  const settledAfterIssuance = await settle();
  if (settledAfterIssuance != null) console.log(`background work of the issuances done ${fmt(settledAfterIssuance, 1)} s after the last was issued`);

  // A tender: 500 items over the run's licences, codes and credentials alternating.
  const items = Array.from({ length: BatchSize }, (_, i) => (i % 2 === 0 ? { creditCode: codes[(i >> 1) % codes.length] } : { credential: credentials[(i >> 1) % credentials.length] }));
  const batchBody = JSON.stringify({ purpose: 'tender:bench', items });
  try {
    for (const concurrency of levels) {
      const rows = [];
      const settled = async row => Object.assign(row, { settle: await settle() });
      if (baseline) rows.push(await settled(await measure('baseline (raw storage)', concurrency, requests, i => baseline.once(i))));
      rows.push(await settled(await measure('verify by code', concurrency, requests, i => verify(byCode(i)))));
      rows.push(await settled(await measure('verify by credential', concurrency, requests, i => verify(byCredential(i)))));
      // Batches keep as many checks in flight as the single calls: a batch checks Verification:BatchParallelism (16)
      // items at a time, so concurrency / 16 batches at once (at least one). One unrecorded batch first.
      const batchConcurrency = Math.max(1, Math.round(concurrency / 16));
      const batch = await measure('batch, per item', batchConcurrency, Math.max(batchCount, batchConcurrency), async () => {
        const r = await call('/api/v1/verifications/batch', { method: 'POST', headers: verifier, body: batchBody });
        const summary = JSON.parse(r.body).summary;
        if (summary.valid !== items.length) throw new Error(`batch: ${JSON.stringify(summary)}`);
        return r.roundTrips;
      }, { warmup: 1, itemsPerCall: BatchSize });
      batch.itemsPerCall = BatchSize;
      batch.settle = await settle();
      rows.push(batch);
      printTable(`concurrency ${concurrency} (batch: ${batch.n} batches of ${BatchSize}, ${batchConcurrency} at a time; its p50/p99 are of whole batches)`, rows, baseline ? rows[0] : null);
      const singles = rows.filter(r => r.name.startsWith('verify'));
      console.log(`batch per item vs single calls at concurrency ${concurrency}: ${singles.map(s => `${fmt(batch.rate / s.rate, 2)}x ${s.name.slice(7)}`).join(', ')} (target >= 3x)`);
      if (baseline) console.log(`verification vs baseline throughput: ${singles.map(s => `${fmt(s.rate / rows[0].rate, 2)}x ${s.name.slice(7)}`).join(', ')} (target >= 0.7x)`);
    }
  } finally {
    await baseline?.tearDown();
  }
}

async function issuanceMode() {
  const count = positive('count');
  console.log(`base=${base} issuance of ${count} applications submitted at once`);
  const submittedAt = new Map();
  const ids = await Promise.all(Array.from({ length: count }, async (_, i) => {
    const t = performance.now();
    const { id } = await submit(`阿图什市签发压测${randomUUID().slice(0, 8)}${i}号有限公司`);
    submittedAt.set(id, t);
    return id;
  }));
  const accepted = performance.now();
  const issued = await untilIssued(ids);
  const all = performance.now();

  const codes = new Set([...issued.values()].map(s => s.creditCode));
  if (new Set(ids).size !== count || codes.size !== count) throw new Error(`expected ${count} distinct applications and codes, got ${new Set(ids).size} and ${codes.size}`);
  // Each licence names its application, and (given the storage) no application has a second licence.
  for (const [id, s] of issued) {
    const licence = await json(`/api/v1/licences/${s.creditCode}`, { headers: registrar });
    if (licence.applicationId !== undefined && licence.applicationId !== id) throw new Error(`licence ${s.creditCode} names application ${licence.applicationId}, not ${id}`);
  }
  let stored = 'not checked (no storage connection string)';
  if (storage) {
    const licences = TableClient.fromConnectionString(storage, 'licences', { allowInsecureConnection: true });
    const wanted = new Set(ids);
    let n = 0;
    for await (const e of licences.listEntities({ queryOptions: { filter: "RowKey eq 'current'", select: ['ApplicationId'] } })) {
      if (wanted.has(e.ApplicationId)) n++;
    }
    if (n !== count) throw new Error(`the licences table holds ${n} licences of these ${count} applications`);
    stored = `${n} licences in the licences table for the ${count} applications`;
  }

  // Server side: issuedAt - submittedAt as the service stamped them; client side: POST sent -> a poll saw it issued.
  const server = [...issued.values()].map(s => Date.parse(s.issuedAt) - Date.parse(s.submittedAt));
  const client = [...issued.entries()].map(([id, s]) => s.seenAt - submittedAt.get(id));
  const rows = [summarize('submitted -> issued (server clock)', server, (all - Math.min(...submittedAt.values())) / 1000),
    summarize('submitted -> seen issued (client)', client, (all - Math.min(...submittedAt.values())) / 1000)];
  console.log(`all ${count} accepted after ${fmt(accepted - Math.min(...submittedAt.values()))} ms, all issued after ${fmt(all - Math.min(...submittedAt.values()))} ms`);
  console.log(`exactly once: ${count} applications, ${codes.size} distinct credit codes, ${stored}`);
  printTable('issuance (per s = licences per second over the whole run; target p99 <= 2000 ms)', rows, null);
}

await (mode === 'issuance' ? issuanceMode() : verifyMode());
