// Drives the public verification page in a real headless Chromium (@sparticuz/chromium, launched by puppeteer-core):
// opens each case, checks the visible text, uploads PDFs through the form, saves a screenshot of each, runs axe-core.
// Usage: node browse-verification-page.mjs <base URL> <cases.json> <screenshot folder>
// cases.json: [{ "name", "path", "acceptLanguage"?, "upload"?: "<pdf file>", "expect": ["visible text", ...] }]
// Prints one JSON result per case and exits 1 if any case failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';

const [base, casesFile, shots] = process.argv.slice(2);
const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
fs.mkdirSync(shots, { recursive: true });

const executablePath = await chromium.executablePath();
const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'elicence-chromium-'));
// A phone has a CJK font; this machine may not. A private fontconfig file adds the project's Noto Sans SC (npm) to the
// system's fonts for this browser only, so the screenshots show Chinese rather than empty boxes.
const notoFolder = path.dirname(createRequire(import.meta.url).resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'));
const fontsConf = path.join(profile, 'fonts.conf');
fs.writeFileSync(fontsConf, `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>${
  fs.existsSync('/etc/fonts/fonts.conf') ? '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>' : ''}<dir>${notoFolder}</dir><cachedir>${path.join(profile, 'fontcache')}</cachedir></fontconfig>`);
const browser = await puppeteer.launch({
  executablePath,
  env: { ...process.env, FONTCONFIG_FILE: fontsConf },
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});

let failed = false;
try {
  for (const c of cases) {
    const result = { name: c.name, missing: [], cspViolations: [], axeViolations: [], status: null };
    const page = await browser.newPage();
    await page.setViewport({ width: 1000, height: 1200 });
    await page.setJavaScriptEnabled(false); // the page must work without JavaScript
    if (c.acceptLanguage) await page.setExtraHTTPHeaders({ 'Accept-Language': c.acceptLanguage });
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) result.cspViolations.push(m.text()); });
    const response = await page.goto(base + c.path, { waitUntil: 'load' });
    result.status = response.status();
    if (c.upload) {
      const input = await page.$('input[type=file]');
      await input.uploadFile(c.upload);
      const [submitted] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click('form:has(input[type=file]) button[type=submit]')]); // the upload form's button, not the search box's
      result.status = submitted.status();
    }

    const text = await page.$eval('body', (b) => b.innerText);
    result.lang = await page.$eval('html', (h) => h.lang);
    result.missing = c.expect.filter((e) => !text.includes(e));
    await page.screenshot({ path: path.join(shots, `${c.name}.png`), fullPage: true });

    // axe-core needs to run script in the page: a second page with CSP bypassed and JavaScript on, on the same HTML.
    const html = await page.content();
    const audit = await browser.newPage();
    await audit.setBypassCSP(true);
    await audit.setContent(html, { waitUntil: 'load' });
    await audit.addScriptTag({ content: axeSource });
    const axe = await audit.evaluate(async () => await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }));
    result.axeViolations = axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html).slice(0, 3) }));
    await audit.close();
    await page.close();

    const ok = result.missing.length === 0 && result.cspViolations.length === 0 && result.axeViolations.length === 0;
    failed ||= !ok;
    console.log(JSON.stringify({ ok, ...result }));
  }
} finally {
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

process.exit(failed ? 1 : 0);
