// Drives pages of client-web's TeaVM build in headless Debian Chromium through playwright-core (never a
// downloaded browser) and prints what they computed.
//
//   node run-page.mjs <plan.json>
//
// plan: { "toolsDir": "<repo>/.tools/node_modules", "chromium": "/usr/bin/chromium", "timeoutMs": 120000,
//         "visits": [ { "id": "main", "url": "http://127.0.0.1:port/parity.html", "removeCrypto": false,
//                       "calls": [ { "id": "features", "fn": "featureReport", "args": [] } ] } ] }
// For each visit: waits for globalThis.__parityReport (or __parityError, or __parityReady for a page opened with
// ?noreport, which skips the report), then calls the page's exported
// functions (globalThis.__parityExports.<fn>(...args)) in order, awaiting results that are promises.
// Output, one line each, values base64 (UTF-8):
//   <visit>.report <b64>      the published parity report
//   <visit>.<call> <b64>      the call's string result
//   <visit>.<call>.error <b64>   the call threw (e.g. a WebAssembly trap)
//   <visit>.error <b64>       the page failed to publish a report
// Page console messages and page errors go to stderr. Exit code 0 unless the browser could not be driven.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const plan = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const require = createRequire(join(plan.toolsDir, 'noop.js'));
const { chromium } = require('playwright-core');
const b64 = (s) => Buffer.from(String(s), 'utf8').toString('base64');
const out = (key, value) => process.stdout.write(`${key} ${b64(value)}\n`);

const userDataDir = mkdtempSync(join(tmpdir(), 'mpc-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: plan.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: plan.timeoutMs,
  });
  for (const visit of plan.visits) {
    const page = await context.newPage();
    page.setDefaultTimeout(plan.timeoutMs);
    page.on('console', (m) => process.stderr.write(`[${visit.id} console.${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => process.stderr.write(`[${visit.id} pageerror] ${e.stack || e}\n`));
    page.on('requestfailed', (r) => process.stderr.write(`[${visit.id} requestfailed] ${r.url()} ${r.failure()?.errorText}\n`));
    if (visit.removeCrypto) {
      // Runs before any page script: the page sees no Web Crypto at all.
      await page.addInitScript(() => {
        Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
      });
    }
    const started = Date.now();
    await page.goto(visit.url, { waitUntil: 'load' });
    await page.waitForFunction(() => globalThis.__parityReport !== undefined || globalThis.__parityError !== undefined
        || globalThis.__parityReady === true,
      null, { timeout: plan.timeoutMs, polling: 50 });
    const state = await page.evaluate(() => ({ report: globalThis.__parityReport, error: globalThis.__parityError }));
    const what = state.error !== undefined ? 'error' : state.report !== undefined ? 'report' : 'exports (no report)';
    process.stderr.write(`[${visit.id}] page published its ${what} after ${Date.now() - started} ms\n`);
    if (state.error !== undefined) {
      out(`${visit.id}.error`, state.error);
    } else if (state.report !== undefined) {
      out(`${visit.id}.report`, state.report);
    }
    for (const call of visit.calls || []) {
      const callStarted = Date.now();
      try {
        const value = await page.evaluate(async ([fn, args]) => {
          const f = globalThis.__parityExports && globalThis.__parityExports[fn];
          if (typeof f !== 'function') { throw new Error(`page exports no function ${fn}`); }
          return String(await f(...args)); // exports may return a promise (e.g. the vault's, WebCrypto is async)
        }, [call.fn, call.args || []]);
        out(`${visit.id}.${call.id}`, value);
      } catch (e) {
        out(`${visit.id}.${call.id}.error`, e && e.message ? e.message : String(e));
      }
      const ms = Date.now() - callStarted;
      if (ms >= 500) { process.stderr.write(`[${visit.id}] ${call.id}: ${ms} ms\n`); }
    }
    await page.close();
  }
} catch (e) {
  process.stderr.write(`run-page: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
} finally {
  if (context) { await context.close().catch(() => {}); }
  rmSync(userDataDir, { recursive: true, force: true });
}
