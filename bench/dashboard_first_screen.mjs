// The dashboard overview's first screen, for bench/bench.py: Debian's
// chromium through puppeteer-core (from tests/npm, as the browser test uses
// it) opens $BASE/ a few times, each in a fresh context (nothing cached), and
// times navigation to the first page of rows drawn. Prints one JSON object:
// {first_screen_ms (median), blank_ms, rows, runs, list_requests, list_bytes}.
import {createRequire} from 'node:module';
import path from 'node:path';

const env = process.env;
const require = createRequire(path.join(env.NPM_DIR, 'package.json'));
const puppeteer = require('puppeteer-core');
const RUNS = Number(env.RUNS || 5);

const browser = await puppeteer.launch({
  executablePath: env.CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const times = [];
  let rows = 0, listRequests = 0, listBytes = 0, blank = 0;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({width: 1100, height: 800});
    let t = Date.now();
    await page.goto('about:blank');
    blank = Date.now() - t;
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    listRequests = 0;
    listBytes = 0;
    page.on('response', async (r) => {
      if (new URL(r.url()).pathname !== '/inventory') return;
      listRequests++;
      try { listBytes += (await r.buffer()).length; } catch { /* the page went on */ }
    });
    t = Date.now();
    await page.goto(env.BASE + '/');
    await page.waitForSelector('main[data-ready="true"] #skus tbody tr', {timeout: 60000});
    times.push(Date.now() - t);
    rows = (await page.$$('#skus tbody tr')).length;
    if (problems.length) throw new Error(problems.join('; '));
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(JSON.stringify({first_screen_ms: times[Math.floor(times.length / 2)], blank_ms: blank, rows,
                              runs: RUNS, list_requests: listRequests, list_bytes: listBytes}));
} finally {
  await browser.close();
}
