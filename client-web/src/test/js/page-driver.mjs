// An interactive driver of one headless Debian Chromium (playwright-core, never a downloaded browser) for the browser
// wallet's end-to-end tests: the Java test (PageDriver) writes one JSON command per line on stdin and reads one JSON
// answer per line on stdout, so a test can act in the page, then on the bank (approvals, chain), then in the page.
//
//   node page-driver.mjs <toolsDir> <chromium>
//
// Commands {cmd, ...}: goto {url} | reload | click {sel} | fill {sel, value} | select {sel, value} | press {sel, key} | text {sel}
//   | waitText {sel, text, timeoutMs} | waitVisible {sel, timeoutMs} | waitHidden {sel, timeoutMs} | count {sel}
//   | attr {sel, name} | screenshot {path} | eval {js} (an expression; promises awaited) | workerEval {js} (the same,
//   in the wallet's worker) | cdp {method, params}
//   | log (console messages and page errors so far) | responseHeaders {url} | download {sel, path} (click, save the
//   download) | upload {sel, path} | heapSnapshot {path} (the page's main-thread heap, DevTools protocol) | close
// Selectors are Playwright's: CSS pierces open shadow roots, so '#sign-in' finds the button inside <mpc-wallet>.
// Answers: {ok:true, value} | {ok:false, error}. Console messages and page errors also go to stderr.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const [toolsDir, chromiumPath] = process.argv.slice(2);
const require = createRequire(join(toolsDir, 'noop.js'));
const { chromium } = require('playwright-core');

const userDataDir = mkdtempSync(join(tmpdir(), 'mpc-wallet-chromium-'));
const log = [];
const headers = new Map();
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  viewport: { width: 1100, height: 860 },
  acceptDownloads: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(30_000);
page.on('console', (m) => { const line = `console.${m.type()}: ${m.text()}`; log.push(line); process.stderr.write(`[page] ${line}\n`); });
page.on('pageerror', (e) => { const line = `pageerror: ${e.message}`; log.push(line); process.stderr.write(`[page] ${line}\n`); });
page.on('response', (r) => { headers.set(r.url(), r.headers()); });
context.on('weberror', (e) => { const line = `weberror: ${e.error().message}`; log.push(line); });
let cdp = null;

async function run(c) {
  const t = c.timeoutMs || 30_000;
  switch (c.cmd) {
    case 'goto': await page.goto(c.url, { waitUntil: 'load' }); return page.url();
    case 'reload': await page.reload({ waitUntil: 'load' }); return page.url();
    case 'click': await page.locator(c.sel).click({ timeout: t }); return null;
    case 'fill': await page.locator(c.sel).fill(c.value, { timeout: t }); return null;
    case 'select': await page.locator(c.sel).selectOption(c.value, { timeout: t }); return null;
    case 'press': await page.locator(c.sel).press(c.key, { timeout: t }); return null;
    case 'text': return await page.locator(c.sel).textContent({ timeout: t });
    case 'count': return await page.locator(c.sel).count();
    case 'attr': return await page.locator(c.sel).getAttribute(c.name, { timeout: t });
    case 'waitText': {
      const deadline = Date.now() + t;
      let last = null;
      while (Date.now() < deadline) {
        const loc = page.locator(c.sel);
        if (await loc.count() > 0) {
          last = await loc.first().textContent().catch(() => null);
          if (last !== null && last.includes(c.text)) { return last; }
        }
        await page.waitForTimeout(100);
      }
      throw new Error(`'${c.text}' did not appear in ${c.sel} within ${t} ms; it reads: ${JSON.stringify(last)}`);
    }
    case 'waitVisible': await page.locator(c.sel).first().waitFor({ state: 'visible', timeout: t }); return null;
    case 'waitHidden': await page.locator(c.sel).first().waitFor({ state: 'hidden', timeout: t }); return null;
    case 'screenshot': await page.screenshot({ path: c.path, fullPage: c.viewport !== true }); return c.path;
    case 'eval': return await page.evaluate(c.js);
    case 'workerEval': {
      // the wallet's worker (the first worker.js of the page; a helper worker may run beside it for a while)
      const w = page.workers().find((x) => x.url().endsWith('/worker.js'));
      if (!w) { throw new Error('the page runs no worker.js'); }
      return await w.evaluate(c.js);
    }
    case 'cdp':
      if (!cdp) { cdp = await context.newCDPSession(page); }
      return await cdp.send(c.method, c.params || {});
    case 'log': return log.slice();
    case 'download': {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: t }), page.locator(c.sel).click({ timeout: t })]);
      await d.saveAs(c.path);
      return d.suggestedFilename();
    }
    case 'upload': await page.locator(c.sel).setInputFiles(c.path, { timeout: t }); return null;
    case 'heapSnapshot': {
      if (!cdp) { cdp = await context.newCDPSession(page); }
      const chunks = [];
      const onChunk = (e) => chunks.push(e.chunk);
      cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
      await cdp.send('HeapProfiler.enable');
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
      writeFileSync(c.path, chunks.join(''));
      return c.path;
    }
    case 'responseHeaders': return headers.get(c.url) || null;
    default: throw new Error('unknown command ' + c.cmd);
  }
}

const rl = createInterface({ input: process.stdin });
const reply = (o) => process.stdout.write(JSON.stringify(o) + '\n');
try {
  for await (const line of rl) {
    if (!line.trim()) { continue; }
    let c;
    try { c = JSON.parse(line); } catch (e) { reply({ ok: false, error: 'not JSON: ' + e.message }); continue; }
    if (c.cmd === 'close') { reply({ ok: true, value: null }); break; }
    try {
      const value = await run(c);
      reply({ ok: true, value: value === undefined ? null : value });
    } catch (e) {
      reply({ ok: false, error: e && e.message ? e.message : String(e) });
    }
  }
} finally {
  await context.close().catch(() => {});
  rmSync(userDataDir, { recursive: true, force: true });
}
