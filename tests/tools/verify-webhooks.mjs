// Verifies webhook deliveries with the official Standard Webhooks library (npm `standardwebhooks`), independently of
// the service's own signer. Usage: node verify-webhooks.mjs deliveries.json
// deliveries.json: {"secret": "whsec_…", "deliveries": [{"headers": {…}, "body": "…", "now": <unix seconds, optional>}]}
// "now" is the service's clock when a delivery arrived, for tests that run it on a fake clock (the library checks that
// the timestamp is within 5 minutes of now); without it, the real time.
// Prints one JSON result per delivery: {"verified": true, "payload": …} or {"verified": false, "error": "…"}.
import { readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const realNow = Date.now;
const webhook = new Webhook(input.secret);
const results = input.deliveries.map(({ headers, body, now }) => {
  Date.now = typeof now === 'number' ? () => now * 1000 : realNow;
  try {
    return { verified: true, payload: webhook.verify(body, headers) };
  } catch (e) {
    return { verified: false, error: String(e.message ?? e) };
  }
});
process.stdout.write(JSON.stringify(results));
