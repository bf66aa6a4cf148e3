// Chaos run (issue 25): a mixed load against the local host while the host is killed (SIGKILL) and restarted and
// Azurite is stopped and started again on the same data, then the invariants that must survive it. Loopback only,
// bounded in time; it starts and removes everything it uses (Azurite with its data in a temporary folder, the host,
// a webhook receiver), all on free ports.
//
//   node bench/chaos-run.mjs [options]
//
// Build the host first (dotnet build -c Release src/ELicence.LocalHost), or pass --build.
//
// Options:
//   --duration S       seconds of load with chaos (default 420)
//   --kills N          host kills (SIGKILL, then restart) spread over the load (default 24)
//   --outages N        Azurite outages of 5–15 s spread over the load (default 4)
//   --workers N        concurrent clients (default 6)
//   --drain S          after the load, at most S seconds for the background work to finish (default 240)
//   --timeout S        a request taking longer than S seconds is a hang (default 30)
//   --configuration C  Release (default) or Debug: which build of src/ELicence.LocalHost runs
//   --build            build it first
//   --seed N           the random seed of the chaos schedule and the load (default: the time)
//   --keep             keep the temporary folder (Azurite's data, the host's logs) even when every invariant holds
//
// Exit code 0 when every invariant holds, 1 otherwise (the table says which failed; the temporary folder is kept).
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomUUID, createPublicKey, verify as verifySignature } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, existsSync, openSync, closeSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { TableClient } from '@azure/data-tables';
import { QueueServiceClient } from '@azure/storage-queue';
import { compactVerify, createLocalJWKSet, decodeJwt } from 'jose';
import { Webhook } from 'standardwebhooks';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '420' },
    kills: { type: 'string', default: '24' },
    outages: { type: 'string', default: '4' },
    workers: { type: 'string', default: '6' },
    drain: { type: 'string', default: '240' },
    timeout: { type: 'string', default: '30' },
    configuration: { type: 'string', default: 'Release' },
    build: { type: 'boolean', default: false },
    seed: { type: 'string' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (opt.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').filter(l => l.startsWith('//')).map(l => l.slice(3)).join('\n'));
  process.exit(0);
}
const number = (name, min = 0) => {
  const n = Number(opt[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}, not '${opt[name]}'.`);
  return n;
};
const durationMs = number('duration', 10) * 1000;
const killCount = number('kills');
const outageCount = number('outages');
const workerCount = number('workers', 1);
const drainMs = number('drain', 10) * 1000;
const timeoutMs = number('timeout', 1) * 1000;
if (!['Release', 'Debug'].includes(opt.configuration)) throw new Error('--configuration is Release or Debug.');

// A run that stops making progress is a failure, never a hang: past the load, the drain and ten minutes for the kills,
// outages and checks, the host and Azurite are killed and the run exits 1.
setTimeout(() => {
  console.error(`chaos run: not finished ${(durationMs + drainMs) / 1000 + 600} s after its start; stopping it as failed`);
  for (const child of [host, azurite]) { try { child?.kill('SIGKILL'); } catch { /* already gone */ } }
  process.exit(1);
}, durationMs + drainMs + 600_000).unref();

// A small seeded generator (mulberry32), so a failing schedule can be run again with --seed.
const seed = opt.seed === undefined ? Date.now() % 2 ** 31 : Number(opt.seed);
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
};
const pick = list => list[Math.floor(random() * list.length)];
const sleep = ms => new Promise(r => setTimeout(r, ms));

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'elicence-chaos-'));
const log = (...a) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s]`, ...a);
const started = performance.now();

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createTcpServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function freePorts(n) {
  const ports = new Set();
  while (ports.size < n) {
    const p = await freePort();
    if (p !== 7071 && (p < 10000 || p > 10002)) ports.add(p);
  }
  return [...ports];
}

const [blobPort, queuePort, tablePort, hostPort, receiverPort] = await freePorts(5);
const base = `http://127.0.0.1:${hostPort}`;
const storage = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;'
  + `BlobEndpoint=http://127.0.0.1:${blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queuePort}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${tablePort}/devstoreaccount1;`;

// ---------------------------------------------------------------------------------------------------------------
// Processes: Azurite (data on disk in the temporary folder) and the host.

const azuriteData = join(work, 'azurite');
const chaos = { kills: 0, outages: 0, restartSeconds: [], outageSeconds: [], azuriteRetries: 0, hostStartRetries: 0 };
let azurite = null;
let azuriteUp = false;
let outageUntil = 0; // while storage is down and a few seconds after: a 503 is the expected answer

function startAzurite() {
  const out = openSync(join(work, 'azurite.log'), 'a');
  azurite = spawn('node', [join(root, 'node_modules/azurite/dist/src/azurite.js'),
    '--blobHost', '127.0.0.1', '--blobPort', String(blobPort), '--queueHost', '127.0.0.1', '--queuePort', String(queuePort),
    '--tableHost', '127.0.0.1', '--tablePort', String(tablePort), '--location', azuriteData, '--disableTelemetry',
    '--skipApiVersionCheck', '--disableProductStyleUrl', '--silent'], { stdio: ['ignore', out, out] });
  closeSync(out);
}

/** Resolves when the process has exited: at once if it already has (its 'exit' event is then long gone). */
function exitOf(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise(r => child.once('exit', r));
}

async function listening(port) {
  return new Promise(resolve => {
    const socket = new Socket();
    socket.setTimeout(500);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
    socket.connect(port, '127.0.0.1');
  });
}
async function until(what, condition, ms) {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms / 1000} s`);
    await sleep(100);
  }
}

async function azuriteStart() {
  // Now and then a restarted Azurite prints nothing and never listens: it is killed and started again (at most 3 times).
  for (let attempt = 1; ; attempt++) {
    startAzurite();
    const process_ = azurite;
    let spawnError = null;
    process_.once('error', e => { spawnError = e; });
    try {
      await until('Azurite listening', async () => {
        if (spawnError) throw new Error(`Azurite could not be started: ${spawnError.message}`);
        if (process_.exitCode !== null) throw new Error(`Azurite exited with ${process_.exitCode} at start (a port taken meanwhile?); see ${join(work, 'azurite.log')}`);
        // Raced against a second: a connection attempt must never hold up the wait.
        const up = port => Promise.race([listening(port), sleep(1000).then(() => false)]);
        return (await up(blobPort)) && (await up(queuePort)) && (await up(tablePort));
      }, 45_000);
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      log(`Azurite (pid ${process_.pid}) not listening: ${e.message}; starting it again`);
      chaos.azuriteRetries++;
      if (process_.exitCode === null) {
        const exited = exitOf(process_);
        process_.kill('SIGKILL');
        await exited;
      }
    }
  }
  azuriteUp = true;
}

async function azuriteStop() {
  azuriteUp = false;
  outageUntil = Infinity;
  const exited = exitOf(azurite);
  azurite.kill('SIGINT'); // a graceful stop (Azurite's Ctrl+C): it saves its metadata, as a real outage keeps acknowledged writes
  await Promise.race([exited, sleep(10_000).then(() => azurite.kill('SIGKILL'))]);
  await exited;
}

const hostDll = join(root, `src/ELicence.LocalHost/bin/${opt.configuration}/net10.0/ELicence.LocalHost.dll`);
const keysFile = join(work, 'dev-keys.env');
const hostLog = join(work, 'host.log');
let host = null;
let hostUp = false;
let keys = {};
const hostEnv = { ...process.env };
for (const policy of ['Registrar', 'Holder', 'Verifier', 'VerificationBatch', 'Anonymous', 'Objections', 'RegisterSearch']) {
  Object.assign(hostEnv, { [`RateLimits__${policy}__Permits`]: '1000000', [`RateLimits__${policy}__Window`]: '00:01:00', [`RateLimits__${policy}__Burst`]: '1000000' });
}
delete hostEnv.AzureWebJobsStorage;

// A host started just as storage comes back can fail its start (it creates its tables first) and exit: that is
// counted and reported (an open finding of the service), and the host is started again, at most 3 times.
async function hostStart() {
  for (let attempt = 1; ; attempt++) {
    try {
      await hostStartOnce();
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      log(`host did not start: ${e.message.split('\n')[0]}; starting it again`);
      chaos.hostStartRetries++;
      if (host) {
        const exited = exitOf(host);
        host.kill('SIGKILL');
        await exited;
      }
    }
  }
}

async function hostStartOnce() {
  rmSync(keysFile, { force: true });
  const out = openSync(hostLog, 'a');
  host = spawn('dotnet', [hostDll,
    `--AzureWebJobsStorage=${storage}`,
    `--LocalHost:Urls=${base}`, '--LocalHost:StartAzurite=false', `--LocalHost:DevKeysFile=${keysFile}`,
    '--LocalHost:QueueRetryDelay=00:00:01', '--LocalHost:QueuePollInterval=00:00:00.200',
    `--Issuer:Id=${base}`, `--Documents:PublicBaseUrl=${base}`,
    '--StatusList:PublishDelay=00:00:01', '--Webhooks:InitialBackoff=00:00:01', '--Webhooks:MaxBackoff=00:00:05',
    `--Webhooks:AllowHttpLocalhostPort=${receiverPort}`,
    '--Logging:LogLevel:Default=Warning', '--Logging:Console:FormatterName=simple'], { cwd: root, env: hostEnv, stdio: ['ignore', out, out] });
  closeSync(out);
  const process_ = host;
  await until('the host answering /api/health with its dev keys written', async () => {
    if (process_.exitCode !== null) throw new Error(`the host exited with ${process_.exitCode} at start; see ${hostLog}`);
    if (!existsSync(keysFile)) return false;
    try {
      const r = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      return r.status === 200;
    } catch {
      return false;
    }
  }, 120_000);
  keys = Object.fromEntries(readFileSync(keysFile, 'utf8').split('\n').filter(l => l.includes('='))
    .map(l => l.replace(/^export /, '').split('=')).map(([k, ...v]) => [k.trim(), v.join('=').trim()]));
  hostUp = true;
}

async function hostKill() {
  hostUp = false;
  const exited = exitOf(host);
  host.kill('SIGKILL');
  await exited;
}

// ---------------------------------------------------------------------------------------------------------------
// The client: every answer counted; what counts as a failure decided here.

const stats = { requests: 0, byStatus: new Map(), hostDown: 0, failures: [], outageAnswers: new Map() };
const fail = (what) => {
  if (stats.failures.length < 200) stats.failures.push(what);
};
const count = (key, map = stats.byStatus) => map.set(key, (map.get(key) ?? 0) + 1);

/**
 * One HTTP call with the client timeout. Returns { status, body, headers } or { status: 0, error } when the connection
 * failed (the host being down). A 500, a hang (timeout), a 503 that is not problem+json with Retry-After, or a 503
 * while storage is up are failures.
 */
async function call(method, path, { key, body, headers = {}, expectText = false } = {}) {
  stats.requests++;
  const init = { method, headers: { ...headers }, signal: AbortSignal.timeout(timeoutMs) };
  if (key) init.headers['X-API-Key'] = key;
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const during = { storageDown: !azuriteUp || Date.now() < outageUntil, hostDown: !hostUp };
  let r;
  let text;
  try {
    r = await fetch(base + path, init);
    text = await r.text();
  } catch (e) {
    const cause = e.cause?.code ?? e.name;
    if (e.name === 'TimeoutError') {
      count('timeout');
      fail(`${method} ${path}: no answer within ${timeoutMs / 1000} s (a hang)${during.storageDown ? ' while storage was down' : ''}`);
      return { status: -1 };
    }
    count(`connection (${cause})`);
    stats.hostDown++;
    return { status: 0, error: cause };
  }
  count(r.status);
  if (during.storageDown || !azuriteUp) count(r.status, stats.outageAnswers);
  const problem = (r.headers.get('content-type') ?? '').startsWith('application/problem+json');
  if (r.status >= 500) {
    if (r.status !== 503) fail(`${method} ${path}: ${r.status} ${text.slice(0, 300)}`);
    else if (!problem || !r.headers.get('retry-after')) fail(`${method} ${path}: 503 without problem+json and Retry-After: ${text.slice(0, 200)}`);
  }
  let json = null;
  if (!expectText && text && /json/.test(r.headers.get('content-type') ?? '')) {
    try { json = JSON.parse(text); } catch { fail(`${method} ${path}: ${r.status} answered unparsable JSON`); }
  }
  return { status: r.status, body: json, text, headers: r.headers };
}

// ---------------------------------------------------------------------------------------------------------------
// The webhook receiver: verifies each delivery with the Standard Webhooks library, records the order of arrival.

let webhookSecret = null;
const arrivals = new Map(); // code -> [sequence…] in order of arrival
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on('data', c => chunks.push(c));
  req.on('end', () => {
    try {
      const payload = new Webhook(webhookSecret).verify(Buffer.concat(chunks).toString('utf8'), req.headers);
      const list = arrivals.get(payload.data.creditCode) ?? [];
      list.push({ sequence: payload.data.sequence, event: payload.type });
      arrivals.set(payload.data.creditCode, list);
      res.writeHead(204).end();
    } catch (e) {
      fail(`webhook delivery that does not verify: ${e.message}`);
      res.writeHead(400).end();
    }
  });
});
await new Promise(r => receiver.listen(receiverPort, '127.0.0.1', r));

// ---------------------------------------------------------------------------------------------------------------
// The load.

const applications = new Map(); // idempotency key -> { id, name }
const pendingKeys = []; // applications whose 202 was not seen yet: sent again with the same key
const licences = new Map(); // code -> { code, applicationId, credential (v1), holderKey, hooked }
const receipts = new Map(); // receipt id -> jws (what the client was given)
const checkpoints = []; // signed notes seen during the run
let webhookId = null;

const registrar = () => keys.ELICENCE_REGISTRAR_KEY;
const bank = () => keys.ELICENCE_VERIFIER_KEY;
const tender = () => keys.ELICENCE_TENDER_KEY;
const ready = () => [...licences.values()].filter(l => l.credential && l.hooked);

const application = name => ({
  name, entityType: 'limited-liability-company', domicile: '新疆克孜勒苏柯尔克孜自治州阿图什市帕米尔路 8 号', legalRepresentative: '艾力·买买提',
  registeredCapital: { amount: 1000000, currency: 'CNY' }, establishedOn: '2026-11-02', operatingTerm: { from: '2026-11-02', to: null },
  businessScope: '水果种植、收购、销售。', registrationAuthority: '阿图什市市场监督管理局',
});

async function apply() {
  const retry = pendingKeys.length > 0 && random() < 0.7;
  const key = retry ? pendingKeys.shift() : `chaos-${randomUUID()}`;
  const name = applications.get(key)?.name ?? `阿图什市混沌${randomUUID().slice(0, 8)}有限公司`;
  if (!applications.has(key)) applications.set(key, { id: null, name });
  const r = await call('POST', '/api/v1/applications', { key: registrar(), body: application(name), headers: { 'Idempotency-Key': key } });
  if (r.status === 202) {
    const entry = applications.get(key);
    if (entry.id && entry.id !== r.body.id) fail(`Idempotency-Key ${key} answered two applications: ${entry.id} and ${r.body.id}`);
    entry.id = r.body.id;
  } else if (!applications.get(key).id) {
    pendingKeys.push(key); // not known to be accepted: a client sends it again with the same key
  }
}

/** Looks up accepted applications; an issued one becomes a licence the load can use (credential, webhook code, holder key). */
async function prepare() {
  const waiting = [...applications.values()].filter(a => a.id && !a.code);
  if (waiting.length === 0) return;
  const a = pick(waiting);
  const r = await call('GET', `/api/v1/applications/${a.id}`, { key: registrar() });
  if (r.status === 200 && r.body.status === 'issued') {
    a.code = r.body.creditCode;
    licences.set(a.code, { code: a.code, applicationId: a.id });
  } else if (r.status === 200 && r.body.status !== 'pending') {
    fail(`application ${a.id} ended ${r.body.status}: ${r.body.failureReason ?? ''}`);
    a.code = 'failed';
  }
  const unready = [...licences.values()].filter(l => !l.credential || !l.hooked || !l.holderKey);
  if (unready.length === 0) return;
  const l = pick(unready);
  if (!l.credential) {
    const c = await call('GET', `/api/v1/licences/${l.code}/credential`, { key: registrar(), expectText: true });
    if (c.status !== 200) return;
    l.credential = c.text;
  }
  if (!l.hooked) {
    // Before any change of the licence: every event after its issuance is then one the receiver must get.
    const c = await call('POST', `/api/v1/webhooks/${webhookId}/codes`, { key: tender(), body: { add: [l.code] } });
    if (c.status !== 200) return;
    l.hooked = true;
  }
  if (!l.holderKey) {
    const c = await call('POST', `/api/v1/licences/${l.code}/holder-keys`, { key: registrar() });
    if (c.status === 201 || c.status === 200) l.holderKey = c.body.key;
  }
}

function keepReceipt(r) {
  if (r.status === 200 && r.body?.receipt?.id) receipts.set(r.body.receipt.id, r.body.receipt.jws ?? null);
}

async function verifyByCode() {
  const l = pick(ready());
  keepReceipt(await call('POST', '/api/v1/verifications', { key: bank(), body: { creditCode: l.code, purpose: 'account-opening' } }));
}

async function verifyByCredential() {
  const l = pick(ready());
  keepReceipt(await call('POST', '/api/v1/verifications', { key: bank(), body: { credential: l.credential } }));
}

async function batch() {
  const items = Array.from({ length: 10 }, (_, i) => {
    const l = pick(ready());
    return i % 2 ? { creditCode: l.code } : { credential: l.credential };
  });
  keepReceipt(await call('POST', '/api/v1/verifications/batch', { key: tender(), body: { purpose: 'tender:chaos', items } }));
}

async function present() {
  const candidates = ready().filter(l => l.holderKey);
  if (candidates.length === 0) return;
  const l = pick(candidates);
  const p = await call('POST', `/api/v1/licences/${l.code}/presentations`, { key: l.holderKey, body: { audience: keys.ELICENCE_BANK_ID, disclose: ['domicile'] } });
  if (p.status !== 200) return;
  keepReceipt(await call('POST', '/api/v1/verifications', { key: bank(), body: { presentation: p.body.presentation, nonce: p.body.nonce, purpose: 'account-opening' } }));
}

let permitNumber = 0;
async function change() {
  const l = pick(ready());
  const reg = registrar();
  const path = `/api/v1/licences/${l.code}`;
  const kind = random();
  if (kind < 0.3) {
    await call('POST', `${path}/amendments`, { key: reg, body: { domicile: `阿图什市光明路 ${Math.floor(random() * 999) + 1} 号`, reason: '住所变更' } });
  } else if (kind < 0.55) {
    await call('POST', `${path}/suspension`, { key: reg, body: { reasonCode: 'annual-report-not-filed', reason: '未按期公示年度报告' } });
  } else if (kind < 0.8) {
    await call('POST', `${path}/reinstatement`, { key: reg, body: { reason: '已补报年度报告' } });
  } else if (kind < 0.95) {
    const n = String(++permitNumber).padStart(10, '0');
    await call('POST', `${path}/permits`, { key: reg, body: { permitType: '食品经营许可证', number: `JY165300${n}`, issuingDepartment: '阿图什市市场监督管理局', reformMode: 'notification-commitment', validFrom: '2026-11-28', validTo: '2031-11-27' } });
  } else {
    await call('POST', `${path}/deregistration`, { key: reg, body: { reason: '股东决定解散' } });
  }
}

async function sampleCheckpoint() {
  const r = await call('GET', '/api/v1/log/checkpoint', { expectText: true });
  if (r.status === 200) checkpoints.push(r.text);
}

async function readLicence() {
  const l = pick(ready());
  await call('GET', `/api/v1/licences/${l.code}`, { key: registrar() });
}

async function worker(stopAt) {
  while (Date.now() < stopAt) {
    if (!hostUp) { await sleep(200); continue; }
    const have = ready().length;
    const x = random();
    try {
      if (have < 3) await (x < 0.3 ? apply() : prepare());
      else if (x < 0.1) await apply();
      else if (x < 0.2) await prepare();
      else if (x < 0.38) await verifyByCode();
      else if (x < 0.5) await verifyByCredential();
      else if (x < 0.56) await batch();
      else if (x < 0.66) await present();
      else if (x < 0.9) await change();
      else if (x < 0.95) await sampleCheckpoint();
      else await readLicence();
    } catch (e) {
      fail(`client error: ${e.stack ?? e}`);
    }
    if (!azuriteUp) await sleep(100); // during an outage the answers are quick 503s: do not flood
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The chaos: kills and outages at random moments, one at a time, spread over the load.



async function chaosSchedule(stopAt) {
  // A few licences first, so that the load has something to verify and change from the first kill on.
  await until('three licences ready for the load', async () => ready().length >= 3, Math.max(5000, (stopAt - Date.now()) / 3)).catch(() => {});
  const events = [...Array(killCount).fill('kill'), ...Array(outageCount).fill('outage')].sort(() => random() - 0.5);
  for (const [i, what] of events.entries()) {
    // A random moment in the first half of this event's share of the time left, leaving room for the event itself.
    const slot = (stopAt - Date.now()) / (events.length - i);
    const at = Date.now() + slot * random() * 0.5;
    await sleep(Math.max(0, at - Date.now()));
    if (what === 'kill') {
      log(`kill ${chaos.kills + 1}: SIGKILL the host`);
      await hostKill();
      const t = performance.now();
      await hostStart();
      chaos.restartSeconds.push((performance.now() - t) / 1000);
      chaos.kills++;
    } else {
      const seconds = 5 + random() * 10;
      log(`outage ${chaos.outages + 1}: Azurite stopped for ${seconds.toFixed(1)} s`);
      await azuriteStop();
      await outageProbe(seconds * 1000);
      await azuriteStart();
      outageUntil = Date.now() + 5000; // the host's connections and caches recover within a few seconds
      chaos.outageSeconds.push(seconds);
      chaos.outages++;
      await until('the host answering again after the outage', async () => (await call('GET', '/api/v1/health', { key: registrar() })).status === 200, 60_000);
    }
  }
}

/** While storage is down, requests of every kind must be answered 503 problem+json with Retry-After, quickly. */
async function outageProbe(ms) {
  const until_ = Date.now() + ms;
  while (Date.now() < until_) {
    const code = ready()[0]?.code ?? '91653001MA00000008';
    await Promise.all([
      call('GET', `/api/v1/licences/${code}`, { key: registrar() }),
      call('POST', '/api/v1/verifications', { key: bank(), body: { creditCode: code } }),
      call('POST', '/api/v1/applications', { key: registrar(), body: application('阿图什市停机探测有限公司'), headers: { 'Idempotency-Key': `probe-${randomUUID()}` } })
        .then(r => { if (r.status === 202) fail('an application was accepted while storage was down'); }),
    ]);
    await sleep(500);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Invariants.

const results = [];
const check = (name, problems) => {
  results.push({ name, ok: problems.length === 0, detail: problems.slice(0, 5).join('; ') + (problems.length > 5 ? ` (+${problems.length - 5} more)` : '') });
};

async function rows(table, filter, select) {
  const client = TableClient.fromConnectionString(storage, table, { allowInsecureConnection: true });
  const all = [];
  for await (const e of client.listEntities({ queryOptions: { filter, select } })) all.push(e);
  return all;
}

async function drain(deadline) {
  const undrained = async () => {
    const left = [];
    if ((await rows('licences', "(RowKey ge 'outbox-' and RowKey lt 'outbox.') or RowKey eq 'status-sync'", ['RowKey'])).length) left.push('licence outbox / status sync');
    if ((await rows('receiptjournal', "PartitionKey ne 'watermark'", ['RowKey'])).length) left.push('receipt journal');
    if ((await rows('logpending', '', ['RowKey'])).length) left.push('log pending leaves');
    if ((await rows('webhooks', "State eq 'Pending'", ['RowKey'])).length) left.push('webhook deliveries pending');
    const pendingApps = [...applications.values()].filter(a => a.id && !a.code);
    for (const a of pendingApps) {
      const r = await call('GET', `/api/v1/applications/${a.id}`, { key: registrar() });
      if (r.status === 200 && r.body.status !== 'pending') a.code = r.body.creditCode ?? 'failed';
    }
    if (pendingApps.some(a => !a.code)) left.push('pending applications');
    return left;
  };
  let left;
  while ((left = await undrained()).length > 0 && Date.now() < deadline) await sleep(1000);
  return left;
}

function merkleLeaf(entry) {
  return createHash('sha256').update(Buffer.concat([Buffer.from([0]), entry])).digest();
}

const node = (l, r) => createHash('sha256').update(Buffer.concat([Buffer.from([1]), l, r])).digest();

/** RFC 9162 §2.1.3.2: the root from a leaf hash, its index, the tree size and the audit path. */
function inclusionRoot(leafHash, index, size, path) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = node(p, r);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
    } else {
      r = node(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r : null;
}

/** RFC 9162 §2.1.4.2: whether a consistency proof leads from (size1, root1) to (size2, root2). */
function consistent(size1, root1, size2, root2, proof) {
  if (size1 === size2) return proof.length === 0 && root1.equals(root2);
  if (size1 === 0) return proof.length === 0;
  if (size1 > size2 || proof.length === 0) return false;
  let path = [...proof];
  if ((size1 & (size1 - 1)) === 0) path = [root1, ...path]; // size1 a power of two
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) { fn >>= 1; sn >>= 1; }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = node(c, fr);
      sr = node(c, sr);
      if (fn % 2 === 0) while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
    } else {
      sr = node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 && fr.equals(root1) && sr.equals(root2);
}

/** A C2SP checkpoint in a signed note, its signature checked with the log's verifier key (name+hash+base64 of 0x01 ‖ key). */
function parseCheckpoint(note, verifierKey) {
  const [text, sigs] = note.split('\n\n');
  const [origin, size, root] = text.split('\n');
  // name+hash+base64: the base64 may itself hold '+'.
  const [name, hash] = verifierKey.trim().split('+', 2);
  const keyB64 = verifierKey.trim().slice(name.length + hash.length + 2);
  const keyBytes = Buffer.from(keyB64, 'base64');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.subarray(1).toString('base64url') }, format: 'jwk' });
  const line = sigs.split('\n').find(l => l.startsWith(`— ${name} `));
  const signed = line && verifySignature(null, Buffer.from(`${text}\n`), publicKey, Buffer.from(line.split(' ')[2], 'base64').subarray(4));
  return { origin, size: Number(size), root: Buffer.from(root, 'base64'), signed: Boolean(signed) };
}

function bit(encodedList, index) {
  const bytes = gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'));
  return (bytes[Math.floor(index / 8)] >> (7 - (index % 8))) & 1;
}

async function invariants() {
  const reg = registrar();
  // 1. Every application answered 202 is issued exactly once: one credit code, one licence.
  const accepted = [...applications.values()].filter(a => a.id);
  const problems = [];
  const current = await rows('licences', "RowKey eq 'current'", ['PartitionKey', 'ApplicationId', 'Status', 'Version']);
  const byApplication = new Map();
  for (const row of current) byApplication.set(row.ApplicationId, [...(byApplication.get(row.ApplicationId) ?? []), row.partitionKey]);
  const codes = new Set();
  for (const a of accepted) {
    const r = await call('GET', `/api/v1/applications/${a.id}`, { key: reg });
    if (r.status !== 200 || r.body.status !== 'issued') { problems.push(`${a.id} is ${r.body?.status ?? r.status}`); continue; }
    const stored = byApplication.get(a.id) ?? [];
    if (stored.length !== 1 || stored[0] !== r.body.creditCode) problems.push(`${a.id}: ${stored.length} licences (${stored.join(', ')}), answered ${r.body.creditCode}`);
    if (codes.has(r.body.creditCode)) problems.push(`code ${r.body.creditCode} given twice`);
    codes.add(r.body.creditCode);
    if (!licences.has(r.body.creditCode)) licences.set(r.body.creditCode, { code: r.body.creditCode, applicationId: a.id });
  }
  for (const [id, list] of byApplication) if (list.length > 1) problems.push(`application ${id} has ${list.length} licences`);
  check(`applications accepted (202) issued exactly once (${accepted.length})`, problems);

  // 2. Every licence's history and versions are contiguous.
  const historyProblems = [];
  const histories = new Map();
  for (const l of licences.values()) {
    const r = await call('GET', `/api/v1/licences/${l.code}/history`, { key: reg });
    const lic = await call('GET', `/api/v1/licences/${l.code}`, { key: reg });
    if (r.status !== 200 || lic.status !== 200) { historyProblems.push(`${l.code}: history ${r.status}, licence ${lic.status}`); continue; }
    const events = r.body.events;
    histories.set(l.code, { events, licence: lic.body });
    events.forEach((e, i) => {
      if (e.sequence !== i + 1) historyProblems.push(`${l.code}: event ${i + 1} numbered ${e.sequence}`);
      const before = i === 0 ? null : events[i - 1];
      if (before && e.statusBefore !== before.statusAfter) historyProblems.push(`${l.code}: event ${e.sequence} starts from ${e.statusBefore}, the previous ended ${before.statusAfter}`);
      const expected = i === 0 ? 1 : before.version + (e.type === 'amended' ? 1 : 0);
      if (e.version !== expected) historyProblems.push(`${l.code}: event ${e.sequence} (${e.type}) version ${e.version}, expected ${expected}`);
    });
    const last = events.at(-1);
    if (last.version !== lic.body.version || last.statusAfter !== lic.body.status) historyProblems.push(`${l.code}: licence v${lic.body.version} ${lic.body.status}, history ends v${last.version} ${last.statusAfter}`);
    const stored = await rows('licences', `PartitionKey eq '${l.code}' and RowKey ge 'e' and RowKey lt 'w'`, ['RowKey']);
    const versions = stored.filter(s => s.rowKey.startsWith('v')).map(s => Number(s.rowKey.slice(1))).sort((a, b) => a - b);
    const eventRows = stored.filter(s => s.rowKey.startsWith('e')).map(s => Number(s.rowKey.slice(1))).sort((a, b) => a - b);
    if (versions.some((v, i) => v !== i + 1) || versions.length !== lic.body.version) historyProblems.push(`${l.code}: version rows ${versions.join(',')} for version ${lic.body.version}`);
    if (eventRows.some((v, i) => v !== i + 1) || eventRows.length !== events.length) historyProblems.push(`${l.code}: event rows ${eventRows.length} for ${events.length} events`);
  }
  check(`histories and versions contiguous (${licences.size} licences)`, historyProblems);

  // 3. The change feed: numbered 1…n without gap or duplicate, holding each public event exactly once.
  const feedProblems = [];
  const feed = [];
  for (let after = 0; ;) {
    const r = await call('GET', `/api/v1/register/changes?after=${after}&limit=1000`, { key: bank() });
    if (r.status !== 200) { feedProblems.push(`feed read ${r.status}`); break; }
    feed.push(...r.body.changes);
    if (r.body.changes.length === 0) break;
    after = r.body.cursor;
  }
  feed.forEach((f, i) => { if (f.sequence !== i + 1) feedProblems.push(`feed entry ${i + 1} numbered ${f.sequence}`); });
  const seen = new Map();
  for (const f of feed) {
    const k = `${f.creditCode}#${f.eventSequence}`;
    if (seen.has(k)) feedProblems.push(`${k} in the feed twice (${seen.get(k)}, ${f.sequence})`);
    seen.set(k, f.sequence);
  }
  for (const [code, { events }] of histories) {
    for (const e of events) {
      const isPublic = e.type === 'issued' || e.type === 'amended' || e.statusBefore !== e.statusAfter;
      if (isPublic && !seen.has(`${code}#${e.sequence}`)) feedProblems.push(`${code} event ${e.sequence} (${e.type}) missing from the feed`);
      if (!isPublic && seen.has(`${code}#${e.sequence}`)) feedProblems.push(`${code} event ${e.sequence} (${e.type}) in the feed though not public`);
    }
  }
  check(`change feed without gap or duplicate (${feed.length} entries)`, feedProblems);

  // 4. The transparency log: checkpoints signed and consistent with each other; every receipt retrievable and included.
  const logProblems = [];
  const key = (await call('GET', '/api/v1/log/key', { expectText: true })).text;
  const final = (await call('GET', '/api/v1/log/checkpoint', { expectText: true })).text;
  const parsed = [...checkpoints, final].map(n => parseCheckpoint(n, key));
  const latest = parsed.at(-1);
  for (const c of parsed) {
    if (!c.signed) logProblems.push(`checkpoint of size ${c.size} not signed by the log key`);
    const r = await call('GET', `/api/v1/log/proofs/consistency?from=${c.size}&to=${latest.size}`);
    if (r.status !== 200) { logProblems.push(`consistency ${c.size}→${latest.size}: ${r.status}`); continue; }
    if (!consistent(c.size, c.root, latest.size, latest.root, r.body.hashes.map(h => Buffer.from(h, 'base64')))) logProblems.push(`checkpoint ${c.size} not consistent with ${latest.size}`);
  }
  let included = 0;
  for (const [id, jws] of receipts) {
    const r = await call('GET', `/api/v1/receipts/${id}`, { key: id.startsWith('rcptb_') ? tender() : bank(), expectText: true });
    if (r.status !== 200) { logProblems.push(`receipt ${id}: ${r.status}`); continue; }
    const proof = await call('GET', `/api/v1/receipts/${id}/proof`, { key: id.startsWith('rcptb_') ? tender() : bank() });
    if (proof.status !== 200) { logProblems.push(`receipt ${id} proof: ${proof.status}`); continue; }
    const entry = Buffer.from(proof.body.entry, 'base64');
    const fields = JSON.parse(entry.toString('utf8'));
    const served = r.text.trim().startsWith('{') ? JSON.parse(r.text).jws ?? null : r.text.trim();
    const held = jws ?? served;
    if (fields.receipt !== id || (held && fields.digest !== createHash('sha256').update(held).digest('base64url'))) logProblems.push(`receipt ${id}: the log entry does not commit to the receipt held`);
    const leaf = merkleLeaf(entry);
    const cp = parseCheckpoint(proof.body.checkpoint, key);
    const root = inclusionRoot(leaf, proof.body.leafIndex, proof.body.treeSize, proof.body.hashes.map(h => Buffer.from(h, 'base64')));
    if (!cp.signed || cp.size !== proof.body.treeSize || !root || !root.equals(cp.root)) { logProblems.push(`receipt ${id}: inclusion proof does not lead to its checkpoint`); continue; }
    // The log may have grown since the last checkpoint was read: then the older of the two is proved into the newer.
    const [older, newer] = cp.size <= latest.size ? [cp, latest] : [latest, cp];
    const c = await call('GET', `/api/v1/log/proofs/consistency?from=${older.size}&to=${newer.size}`);
    if (c.status !== 200 || !consistent(older.size, older.root, newer.size, newer.root, c.body.hashes.map(h => Buffer.from(h, 'base64')))) logProblems.push(`receipt ${id}: its checkpoint ${cp.size} not consistent with ${latest.size}`);
    else included++;
  }
  check(`transparency log consistent (${parsed.length} checkpoints), receipts included (${included} of ${receipts.size})`, logProblems);

  // 5. Status lists match every licence's state (current credential: revocation = revoked or deregistered, suspension = suspended; older versions revoked).
  const statusProblems = [];
  const jwks = createLocalJWKSet(JSON.parse((await call('GET', '/.well-known/jwks.json', { expectText: true })).text));
  const lists = new Map();
  const list = async url => {
    const path = new URL(url).pathname;
    if (!lists.has(path)) {
      const r = await call('GET', path, { expectText: true });
      const { payload } = await compactVerify(r.text.trim(), jwks);
      lists.set(path, JSON.parse(new TextDecoder().decode(payload)));
    }
    return lists.get(path);
  };
  const statusOf = async credential => {
    const vc = decodeJwt(credential);
    const bits = {};
    for (const entry of vc.credentialStatus) bits[entry.statusPurpose] = bit((await list(entry.statusListCredential)).credentialSubject.encodedList, Number(entry.statusListIndex));
    return bits;
  };
  for (const [code, { licence }] of histories) {
    const credential = await call('GET', `/api/v1/licences/${code}/credential`, { key: reg, expectText: true });
    if (credential.status !== 200) { statusProblems.push(`${code}: credential ${credential.status}`); continue; }
    const bits = await statusOf(credential.text);
    const revoked = ['revoked', 'deregistered'].includes(licence.status) ? 1 : 0;
    const suspended = licence.status === 'suspended' ? 1 : 0;
    if (bits.revocation !== revoked || bits.suspension !== suspended) statusProblems.push(`${code} ${licence.status} v${licence.version}: revocation ${bits.revocation}, suspension ${bits.suspension}`);
    const first = licences.get(code)?.credential;
    if (first && licence.version > 1 && (await statusOf(first)).revocation !== 1) statusProblems.push(`${code}: version 1 not revoked after amendment`);
  }
  check(`status lists match every licence (${histories.size})`, statusProblems);

  // 6. Every webhook event delivered at least once and in order per licence.
  const hookProblems = [];
  let expectedDeliveries = 0;
  for (const [code, { events }] of histories) {
    if (!licences.get(code)?.hooked) continue;
    const got = arrivals.get(code) ?? [];
    for (let i = 1; i < got.length; i++) if (got[i].sequence < got[i - 1].sequence) hookProblems.push(`${code}: event ${got[i].sequence} arrived after ${got[i - 1].sequence}`);
    for (const e of events.filter(e => e.type !== 'issued')) {
      expectedDeliveries++;
      if (!got.some(g => g.sequence === e.sequence)) hookProblems.push(`${code}: event ${e.sequence} (${e.type}) never delivered`);
    }
  }
  const delivered = [...arrivals.values()].reduce((n, l) => n + l.length, 0);
  check(`webhooks delivered at least once, in order (${expectedDeliveries} events, ${delivered} deliveries)`, hookProblems);

  // 7. Nothing in a poison queue without a reason (an issuance message there has failed its application with one).
  const poisonProblems = [];
  const queues = QueueServiceClient.fromConnectionString(storage);
  for await (const q of queues.listQueues()) {
    if (!q.name.endsWith('-poison')) continue;
    const messages = (await queues.getQueueClient(q.name).peekMessages({ numberOfMessages: 32 })).peekedMessageItems;
    for (const m of messages) {
      const text = Buffer.from(m.messageText, 'base64').toString('utf8');
      poisonProblems.push(`${q.name}: ${text.slice(0, 160)}`);
    }
  }
  check('poison queues empty', poisonProblems);

  // 8. The answers: no 500, no hang, every 503 problem+json with Retry-After.
  check(`no 500, no hang, 503 problem+json with Retry-After while storage was down`, stats.failures);
}

// ---------------------------------------------------------------------------------------------------------------
// The run.

let exitCode = 1;
try {
  if (opt.build) {
    const b = spawnSync('dotnet', ['build', '-c', opt.configuration, 'src/ELicence.LocalHost/ELicence.LocalHost.csproj'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('the build failed');
  }
  if (!existsSync(hostDll)) throw new Error(`${hostDll} is missing: build it (dotnet build -c ${opt.configuration} src/ELicence.LocalHost) or pass --build`);
  log(`seed ${seed}; work folder ${work}; host ${base}; Azurite ${blobPort}-${tablePort}; receiver ${receiverPort}`);
  await azuriteStart();
  await hostStart();
  const hook = await call('POST', '/api/v1/webhooks', { key: tender(), body: { url: `http://localhost:${receiverPort}/hooks`, events: ['licence.amended', 'licence.suspended', 'licence.reinstated', 'licence.deregistration-opened', 'permit.changed', 'licence.revoked', 'licence.deregistered'], creditCodes: [] } });
  if (hook.status !== 201) throw new Error(`could not subscribe the receiver: ${hook.status} ${hook.text}`);
  webhookId = hook.body.webhook.id;
  webhookSecret = hook.body.secret;
  log(`load for ${durationMs / 1000} s with ${workerCount} clients, ${killCount} kills, ${outageCount} outages`);
  const stopAt = Date.now() + durationMs;
  await Promise.all([chaosSchedule(stopAt - 5000), ...Array.from({ length: workerCount }, () => worker(stopAt))]);
  log('load done; draining');
  if (!hostUp) await hostStart();
  const left = await drain(Date.now() + drainMs);
  check(`background work drained within ${drainMs / 1000} s`, left.map(l => `${l} left`));
  log('checking invariants');
  await invariants();
} catch (e) {
  check('the run itself', [String(e.stack ?? e)]);
} finally {
  if (host && host.exitCode === null) await hostKill();
  if (azurite && azurite.exitCode === null) await azuriteStop(); // before its folder is removed
  receiver.close();
}

const ok = results.every(r => r.ok);
const line = (a, b) => console.log(`${a.padEnd(78)} ${b}`);
console.log('\nchaos run' + ` (seed ${seed}, ${(durationMs / 1000)} s load, ${workerCount} clients)`);
line('host kills survived (SIGKILL + restart)', `${chaos.kills} of ${killCount}` + (chaos.restartSeconds.length ? `, restart ${Math.min(...chaos.restartSeconds).toFixed(1)}–${Math.max(...chaos.restartSeconds).toFixed(1)} s` : ''));
line('storage outages survived (Azurite stopped 5–15 s)', `${chaos.outages} of ${outageCount}` + (chaos.azuriteRetries ? ` (Azurite started again after a silent start: ${chaos.azuriteRetries})` : ''));
line('host starts that failed and were repeated (storage coming back)', String(chaos.hostStartRetries));
line('requests', String(stats.requests));
line('answers by status', [...stats.byStatus].sort().map(([k, v]) => `${k}: ${v}`).join(', '));
line('answers while storage was down', [...stats.outageAnswers].sort().map(([k, v]) => `${k}: ${v}`).join(', ') || '-');
line('applications accepted / licences / receipts / checkpoints', `${[...applications.values()].filter(a => a.id).length} / ${licences.size} / ${receipts.size} / ${checkpoints.length}`);
for (const r of results) line(r.name, r.ok ? 'pass' : `FAIL  ${r.detail}`);
console.log(ok ? 'every invariant holds' : `invariants failed; Azurite data and host log kept in ${work}`);
if (ok && !opt.keep) rmSync(work, { recursive: true, force: true });
exitCode = ok && chaos.kills === killCount && chaos.outages === outageCount ? 0 : 1;
process.exit(exitCode);
