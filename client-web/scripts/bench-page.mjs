// Runs client-web's P2 benchmark page (bench.html, teavm/p2-test.wasm) in headless Debian Chromium through
// playwright-core (never a downloaded browser) and prints its lines. Used by bench-browser and BrowserBenchPageTest.
//
//   node bench-page.mjs --web-dir <client-web/target/web> --tools <repo>/.tools/node_modules
//        [--chromium /usr/bin/chromium] [--keygen 2] [--keygen-warmup 1] [--sign 10] [--sign-warmup 3]
//        [--timeout-ms 600000]
//
// Serves --web-dir itself on 127.0.0.1 (a free port; .wasm as application/wasm). stdout:
//   # browser Chromium <version>, WasmGC (TeaVM 0.15), BigInt modPow
//   bench op=web_keygen_p2 p50_ms=... p99_ms=... bytes=... n=...    (and web_sign_p2, web_presign_p2,
//                                                                   web_sign_online_p2)
// Page console output and progress go to stderr. Exit code 0 only when the page published its report.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, normalize, resolve, sep } from 'node:path';

function parseArgs(argv) {
  const opts = { chromium: '/usr/bin/chromium', keygen: 2, 'keygen-warmup': 1, sign: 10, 'sign-warmup': 3,
    setup: 0, 'timeout-ms': 1200000 };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in opts) && key !== 'web-dir' && key !== 'tools') { throw new Error(`unknown option ${argv[i]}`); }
    if (i + 1 >= argv.length) { throw new Error(`option ${argv[i]} needs a value`); }
    opts[key] = argv[i + 1];
  }
  for (const k of ['web-dir', 'tools']) { if (!opts[k]) { throw new Error(`--${k} is required`); } }
  for (const k of ['keygen', 'keygen-warmup', 'sign', 'sign-warmup', 'setup', 'timeout-ms']) {
    const v = Number(opts[k]);
    if (!Number.isInteger(v) || v < 0) { throw new Error(`--${k} must be a non-negative integer`); }
    opts[k] = v;
  }
  return opts;
}

const TYPES = { '.wasm': 'application/wasm', '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

function serve(root) {
  return new Promise((resolveServer) => {
    const server = createServer(async (req, res) => {
      try {
        const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        const file = normalize(join(root, path));
        if (req.method !== 'GET' || !(file + sep).startsWith(root + sep) || !(await stat(file)).isFile()) {
          throw new Error('not found');
        }
        const body = await readFile(file);
        const ext = file.slice(file.lastIndexOf('.'));
        res.writeHead(200, { 'Content-Type': TYPES[ext] || 'application/octet-stream', 'Cache-Control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404);
        res.end();
      }
    });
    server.listen(0, '127.0.0.1', () => resolveServer(server));
  });
}

const opts = parseArgs(process.argv.slice(2));
const root = resolve(opts['web-dir']);
const require = createRequire(join(resolve(opts.tools), 'noop.js'));
const { chromium } = require('playwright-core');

const server = await serve(root);
let browser;
try {
  browser = await chromium.launch({
    executablePath: opts.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: opts['timeout-ms'],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(opts['timeout-ms']);
  page.on('console', (m) => process.stderr.write(`[bench console.${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => process.stderr.write(`[bench pageerror] ${e.stack || e}\n`));
  const query = new URLSearchParams({ keygen: opts.keygen, keygenWarmup: opts['keygen-warmup'], sign: opts.sign,
    signWarmup: opts['sign-warmup'], setup: opts.setup });
  const url = `http://127.0.0.1:${server.address().port}/bench.html?${query}`;
  const started = Date.now();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => globalThis.__parityReport !== undefined || globalThis.__parityError !== undefined,
    null, { timeout: opts['timeout-ms'], polling: 100 });
  const state = await page.evaluate(() => ({ report: globalThis.__parityReport, error: globalThis.__parityError,
    wallMs: globalThis.__benchWallMs }));
  if (state.error !== undefined) {
    throw new Error(`the bench page failed: ${state.error}`);
  }
  process.stderr.write(`[bench] ${url}: ${Date.now() - started} ms (benchRun ${Math.round(state.wallMs)} ms)\n`);
  process.stdout.write(`# browser Chromium ${browser.version()}, WasmGC (TeaVM 0.15), BigInt modPow\n`);
  process.stdout.write(state.report.endsWith('\n') ? state.report : `${state.report}\n`);
} catch (e) {
  process.stderr.write(`bench-page: ${e && e.stack ? e.stack : e}\n`);
  process.exitCode = 2;
} finally {
  if (browser) { await browser.close().catch(() => {}); }
  server.close();
}
