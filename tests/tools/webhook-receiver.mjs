// A minimal webhook receiver for the README walkthrough: listens on 127.0.0.1:<port>, verifies each delivery with the
// official Standard Webhooks library (npm `standardwebhooks`) using the secret in <secret-file> (read per request, so
// it may be written after the receiver starts), answers 204, and appends one line per verified delivery to <log-file>.
// Only POST /hooks is its own: anything else sent to the port (another subscription on the same allowed port) is a 404, unlogged.
// Usage: node webhook-receiver.mjs <port> <secret-file> <log-file>
import { createServer } from 'node:http';
import { appendFileSync, readFileSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';

const [port, secretFile, logFile] = process.argv.slice(2);
createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/hooks') {
    req.resume();
    res.writeHead(404).end();
    return;
  }

  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    try {
      const payload = new Webhook(readFileSync(secretFile, 'utf8').trim()).verify(body, req.headers);
      appendFileSync(logFile, `verified ${payload.type} ${payload.data.creditCode} sequence ${payload.data.sequence}\n`);
      res.writeHead(204).end();
    } catch (e) {
      appendFileSync(logFile, `REJECTED ${e.message}\n`);
      res.writeHead(400).end();
    }
  });
}).listen(Number(port), '127.0.0.1');
