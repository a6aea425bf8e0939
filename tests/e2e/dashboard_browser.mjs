// The browser half of test_dashboard.sh: one headless Chromium (Debian's,
// through puppeteer-core) on the dashboard of two live servers. Prints
// "ok - ..." or "not ok - ..." per check (counted by the shell script) and
// saves a screenshot of each page into $SHOTS.
import {execFileSync} from 'node:child_process';
import {createRequire} from 'node:module';
import path from 'node:path';

const env = process.env;
const require = createRequire(path.join(env.NPM_DIR, 'package.json'));
const puppeteer = require('puppeteer-core');

let failed = 0;
function check(what, ok, detail = '') {
  if (ok) console.log(`ok - ${what}`);
  else {
    failed++;
    console.log(`not ok - ${what}${detail ? ': ' + detail : ''}`);
  }
}
const same = (what, got, want) =>
  check(what, JSON.stringify(got) === JSON.stringify(want), `got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
const cli = (...args) => JSON.parse(execFileSync(env.INVLOG_BIN, ['-o', 'json', ...args], {encoding: 'utf8'}));
const shot = (page, name) => page.screenshot({path: path.join(env.SHOTS, name + '.png'), fullPage: true});
const ready = (page) => page.waitForSelector('main[data-ready="true"]', {timeout: 15000});
const num = (text) => Number(text.replace(/[^0-9-]/g, ''));

async function post(url, body) {
  const res = await fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(body)});
  if (!res.ok) throw new Error(`POST ${url}: ${res.status} ${await res.text()}`);
}

const browser = await puppeteer.launch({
  executablePath: env.CHROMIUM,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  await page.setViewport({width: 1100, height: 800});
  // Local times in a zone that is not UTC, so that the "as of" picker's
  // conversion is exercised.
  await page.emulateTimezone('Asia/Kolkata');
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));

  // --- The overview: rows, totals and bars against the CLI's list.
  await page.goto(env.BASE + '/');
  await ready(page);
  const listed = cli('list');
  const rows = await page.$$eval('#skus tbody tr', (trs) => trs.map((tr) => ({
    sku: tr.dataset.sku,
    cells: Object.fromEntries([...tr.querySelectorAll('td[data-col]')].map((td) => [td.dataset.col, td.textContent])),
    bar: Object.fromEntries([...tr.querySelectorAll('rect[data-part]')].map((r) => [r.dataset.part, Number(r.getAttribute('width'))])),
    barWidth: Number(tr.querySelector('svg.bar').getAttribute('width')),
    updatedTitle: tr.querySelector('td[data-col="updated"] time').getAttribute('title'),
  })));
  same('a row per SKU, in SKU order', rows.map((r) => r.sku), listed.map((s) => s.sku));
  for (const s of listed) {
    const r = rows.find((x) => x.sku === s.sku);
    if (!r) continue;
    same(`row ${s.sku}: soh, available, reserved, version`,
      [num(r.cells.soh), num(r.cells.available), num(r.cells.reserved), num(r.cells.version)],
      [s.soh, s.available_quantity, s.reserved, s.version]);
    check(`row ${s.sku}: the last change's UTC time on hover`, r.updatedTitle.includes(s.updated_at.replace('T', ' ').replace('Z', '')),
      r.updatedTitle);
    const rest = s.soh - s.available_quantity - s.reserved;
    const total = s.available_quantity + s.reserved + rest;
    const want = {available: s.available_quantity / total, reserved: s.reserved / total, rest: rest / total};
    const close = ['available', 'reserved', 'rest'].every((k) => Math.abs(r.bar[k] / r.barWidth - want[k]) < 0.01);
    check(`row ${s.sku}: the bar's parts are available, reserved and the rest of soh`, close, JSON.stringify(r.bar));
  }
  const totals = await page.$$eval('[data-total]', (dds) => Object.fromEntries(dds.map((d) => [d.dataset.total, d.textContent])));
  const sum = (k) => listed.reduce((n, s) => n + s[k], 0);
  same('totals', [num(totals.skus), num(totals.soh), num(totals.available), num(totals.reserved)],
    [listed.length, sum('soh'), sum('available_quantity'), sum('reserved')]);
  await shot(page, 'overview');

  // Sorting by the keyboard, and the filters.
  await page.focus('th[data-key="soh"] button');
  await page.keyboard.press('Enter');
  const bySoh = await page.$$eval('#skus tbody tr', (trs) => trs.map((tr) => tr.dataset.sku));
  same('Enter on the SOH header sorts by soh', bySoh, [...listed].sort((a, b) => a.soh - b.soh).map((s) => s.sku));
  same('the header says so', await page.$eval('th[data-key="soh"]', (th) => th.getAttribute('aria-sort')), 'ascending');
  await page.type('#f-below', '10');
  same('low stock below 10', await page.$$eval('#skus tbody tr', (trs) => trs.map((tr) => tr.dataset.sku)),
    listed.filter((s) => s.available_quantity < 10).map((s) => s.sku));
  await page.$eval('#f-below', (i) => { i.value = ''; i.dispatchEvent(new Event('input')); });
  await page.type('#f-prefix', 'B');
  same('SKU prefix filter', await page.$$eval('#skus tbody tr', (trs) => trs.map((tr) => tr.dataset.sku)), ['B-2']);
  await page.$eval('#f-prefix', (i) => { i.value = ''; i.dispatchEvent(new Event('input')); });

  // Live: an event appended through the API changes the row, no reload.
  await page.evaluate(() => { window.notReloaded = true; });
  await post(env.BASE + '/inventory/B-2/reserve', {quantity: 7, reason: 'order 9'});
  const live = await page.waitForFunction(
    () => document.querySelector('tr[data-sku="B-2"] td[data-col="reserved"]')?.textContent === '7', {timeout: 15000})
    .then(() => true, () => false);
  check('the row changes without a reload', live && await page.evaluate(() => window.notReloaded === true));
  check('the changed row is highlighted', await page.$eval('tr[data-sku="B-2"]', (tr) => tr.classList.contains('changed')));

  // 360 px wide: nothing wider than the screen but the scrolling table.
  await page.setViewport({width: 360, height: 740});
  check('the overview fits 360 px', await page.evaluate(() => document.documentElement.scrollWidth <= 360),
    String(await page.evaluate(() => document.documentElement.scrollWidth)));
  await shot(page, 'overview-360');
  await page.setViewport({width: 1100, height: 800});

  // --- A SKU page: the chart's steps are the history's states.
  await page.goto(env.BASE + '/sku/A-1');
  await ready(page);
  const history = cli('history', 'A-1').filter((e) => e.state);
  const series = {soh: 'soh', available_quantity: 'available_quantity', reserved: 'reserved'};
  for (const key of Object.keys(series)) {
    const steps = JSON.parse(await page.$eval(`polyline[data-series="${key}"]`, (p) => p.dataset.steps));
    same(`chart ${key}: a step per command at its time`, steps, history.map((e) => [Date.parse(e.recorded_at), e.state[key]]));
    const points = await page.$eval(`polyline[data-series="${key}"]`, (p) => p.getAttribute('points').trim().split(/\s+/)
      .map((xy) => xy.split(',').map(Number)));
    // Steps: each change is a horizontal run then a vertical jump.
    const stepwise = points.length === 2 * history.length &&
      points.every((p, i) => i === 0 || (i % 2 === 1 ? p[1] === points[i - 1][1] : p[0] === points[i - 1][0]));
    check(`chart ${key}: drawn as steps`, stepwise, JSON.stringify(points));
  }
  const state = cli('show', 'A-1');
  same('the current state', await page.$$eval('#current dd[data-col]', (dds) => dds.slice(0, 4).map((d) => d.textContent)),
    [state.soh, state.available_quantity, state.reserved, state.version].map(String));
  same('an event row per event, newest first', await page.$$eval('#history tbody tr', (trs) => trs.map((t) => Number(t.dataset.seq))),
    cli('history', 'A-1').map((e) => e.seq).reverse());
  await page.click('#range-day');
  check('the range picker redraws the chart', await page.$eval('.chart-box', (b) => b.dataset.range) === 'day');
  await page.click('#range-all');

  // "As of": the moment of the reserve (before the complete), typed in the
  // browser's local time (+05:30), against `invlog show --as-of`.
  const reserve = history[1];
  const local = new Date(Date.parse(reserve.recorded_at) + 5.5 * 3600e3).toISOString().slice(0, 23);
  await page.$eval('#as-of', (i, v) => { i.value = v; }, local);
  await page.click('.as-of button[type="submit"]');
  await page.waitForSelector('#as-of-state', {timeout: 10000});
  const asOf = cli('show', 'A-1', '--as-of', reserve.recorded_at);
  same('the state as of the picked moment is the CLI\'s',
    await page.$$eval('#as-of-state dd[data-col]', (dds) => dds.slice(0, 4).map((d) => d.textContent)),
    [asOf.soh, asOf.available_quantity, asOf.reserved, asOf.version].map(String));
  check('and differs from now', asOf.version !== state.version);
  await shot(page, 'sku');

  // --- The events page: newest first, following new ones; held while paused.
  await page.goto(env.BASE + '/events');
  await ready(page);
  const seqs = await page.$$eval('#feed tbody tr', (trs) => trs.map((t) => Number(t.dataset.seq)));
  same('the feed, newest first', seqs, cli('events').map((e) => e.seq).reverse());
  await page.click('#pause');
  await post(env.BASE + '/inventory/C-3/receive', {quantity: 1});
  const held = await page.waitForFunction(() => /1 new event/.test(document.getElementById('held').textContent),
    {timeout: 15000}).then(() => true, () => false);
  check('paused: the new event is held', held && (await page.$$('#feed tbody tr')).length === seqs.length);
  await page.click('#pause');
  const head = cli('events').at(-1).seq;
  check('resumed: the new event on top', await page.$eval('#feed tbody tr', (t) => Number(t.dataset.seq)) === head);
  await shot(page, 'events');

  // --- The audit page.
  await page.goto(env.BASE + '/audit');
  await ready(page);
  const verify = cli('verify');
  same('verify: ok, head seq and hash', [await page.$eval('[data-ok]', (p) => p.dataset.ok),
    num(await page.$eval('dd[data-col="head-seq"]', (d) => d.textContent)),
    await page.$eval('dd[data-col="head-hash"]', (d) => d.textContent)], ['true', verify.head_seq, verify.head_hash]);
  await page.click('#run-verify');
  await page.waitForSelector('[data-ok]', {timeout: 10000});
  check('the button runs verify again', await page.$eval('[data-ok]', (p) => p.dataset.ok) === 'true');
  await shot(page, 'audit');
  same('no script error and no CSP violation', problems, []);

  // --- A server with --token-file: the page asks for a token once; then,
  // over 10,000 SKUs, the list a page at a time: the first screen from one
  // request, one page of rows in the document, SKU order only, the filters
  // answered by the server.
  const guarded = await browser.newPage();
  await guarded.setViewport({width: 1100, height: 800});
  let listRequests = 0;
  guarded.on('request', (r) => { if (new URL(r.url()).pathname === '/inventory') listRequests++; });
  await guarded.goto(env.TOKEN_BASE + '/');
  const asked = await guarded.waitForSelector('#token-form:not([hidden])', {timeout: 10000}).then(() => true, () => false);
  check('a page refused for a missing token asks for one', asked);
  await shot(guarded, 'token');
  await guarded.type('#token-input', env.READ_TOKEN);
  const started = Date.now();
  listRequests = 0;
  await guarded.click('#token-form button[type="submit"]');
  await ready(guarded);
  console.log(`# ${env.BIG_SKUS} SKUs drawn in ${Date.now() - started} ms`);
  check('a read-only token is enough', await guarded.$eval('#token-form', (f) => f.hidden));
  same('one page of rows in the document', (await guarded.$$('#skus tbody tr')).length, 100);
  same('the first screen came from one request once the token is given', listRequests, 1);
  // The count comes from /stats, asked beside the first page.
  await guarded.waitForFunction(() => document.querySelector('[data-total="skus"]').textContent !== '—');
  same('every SKU counted', num(await guarded.$eval('[data-total="skus"]', (d) => d.textContent)), Number(env.BIG_SKUS));
  check('past 10,000 SKUs, no sorting by another column',
    await guarded.$$eval('#skus th[data-key] button', (bs) => bs.every((b) => b.disabled)));
  const firstOf = () => guarded.$eval('#skus tbody tr', (t) => t.dataset.sku);
  await guarded.click('.pager button:last-child');
  await guarded.waitForFunction(() => document.querySelector('#skus tbody tr').dataset.sku !== 'S-00001');
  same('the next page', await firstOf(), 'S-00101');
  same('its rows', (await guarded.$$('#skus tbody tr')).length, 100);
  await guarded.click('.pager button:first-child');
  await guarded.waitForFunction(() => document.querySelector('#skus tbody tr').dataset.sku === 'S-00001');
  const info = await guarded.$eval('#page-info', (p) => p.textContent);
  check('and back, with the count', info.startsWith('1–100 of ') && num(info.split(' of ')[1]) === Number(env.BIG_SKUS),
    info);
  await guarded.type('#f-prefix', 'S-1004');
  await guarded.waitForFunction(() => document.querySelectorAll('#skus tbody tr').length === 10);
  same('the prefix filter, by the server', await guarded.$$eval('#skus tbody tr', (trs) => trs.map((tr) => tr.dataset.sku)),
    Array.from({length: 10}, (_, i) => `S-1004${i}`));
  await guarded.goto(env.TOKEN_BASE + '/audit');
  await ready(guarded);
  check('the token is kept for the session', await guarded.$eval('#token-form', (f) => f.hidden));
} catch (e) {
  check('the browser session', false, e.stack || String(e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
