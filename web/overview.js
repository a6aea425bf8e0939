// `/`: every SKU with its stacked bar, totals, sorting, filters and paging,
// from GET /inventory (whole, or a page at a time past WHOLE SKUs); kept
// live by the event feed's long poll.
import {follow, get, getPage, skuUrl} from './api.js';
import {el, feedError, fmtNumber, setStatus, skuPath, svg, timeEl} from './util.js';

const PAGE = 100;
// A list of at most this many SKUs (the server's largest page) is read whole.
const WHOLE = 10000;
// Past this many changed SKUs in one poll, the whole list is read again.
const REFETCH_ABOVE = 50;
const COLUMNS = [
  {key: 'sku', label: 'SKU'},
  {key: 'soh', label: 'SOH', num: true},
  {key: 'available_quantity', label: 'Available', num: true},
  {key: 'reserved', label: 'Reserved', num: true},
  {key: 'version', label: 'Version', num: true},
  {key: 'updated_at', label: 'Last change'},
];

// The stacked bar: available (solid), reserved (hatched), the rest of soh
// (dotted), each part labelled for screen readers and on hover.
export function stockBar(s, width = 120) {
  const rest = Math.max(0, s.soh - s.available_quantity - s.reserved);
  const total = Math.max(1, s.available_quantity + s.reserved + rest);
  const parts = [
    ['available', s.available_quantity, 'bar-available'],
    ['reserved', s.reserved, 'bar-reserved'],
    ['rest', rest, 'bar-rest'],
  ];
  const label = `available ${s.available_quantity}, reserved ${s.reserved}, rest ${rest} of soh ${s.soh}`;
  const g = svg('svg', {class: 'bar', width, height: 14, viewBox: `0 0 ${width} 14`, role: 'img', 'aria-label': label});
  let x = 0;
  for (const [part, value, cls] of parts) {
    const w = (value / total) * width;
    g.append(svg('rect', {x: x.toFixed(2), y: 1, width: w.toFixed(2), height: 12, class: cls, 'data-part': part,
                          'data-value': value}, svg('title', {}, `${part} ${value}`)));
    x += w;
  }
  g.append(svg('rect', {x: 0.5, y: 0.5, width: width - 1, height: 13, class: 'bar-frame'}));
  return g;
}

export async function renderOverview(main, signal, onFailure) {
  // Two ways to show the list. Up to WHOLE SKUs it is read in one request
  // and sorted, filtered and totalled here. Beyond, it is read a page at a
  // time in SKU order (GET /inventory?limit=&after=, the filters sent as
  // prefix= and below=), so that the first screen never waits for the whole
  // list; sorting by another column would need every row, and is off.
  const view = {sort: 'sku', dir: 1, prefix: '', below: null, page: 0};
  const bySku = new Map();
  let rows = [];
  let paged = null;  // in paged mode: {cursors, rows, next, total}
  let fetchSeq = 0;

  const totals = el('dl', {class: 'totals', id: 'totals'});
  const prefix = el('input', {id: 'f-prefix', type: 'search', autocomplete: 'off', spellcheck: 'false'});
  const below = el('input', {id: 'f-below', type: 'number', min: 0, inputmode: 'numeric'});
  const filters = el('form', {class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault()},
    el('label', {for: 'f-prefix'}, 'SKU starts with'), prefix,
    el('label', {for: 'f-below'}, 'Available below'), below);
  const head = el('tr');
  const body = el('tbody');
  const table = el('table', {class: 'skus', id: 'skus'},
    el('caption', {}, 'Stock by SKU. Bars: available (solid), reserved (hatched), rest of soh (dotted).'),
    el('thead', {}, head), body);
  const pager = el('nav', {class: 'pager', 'aria-label': 'Pages of SKUs'});
  main.append(el('h1', {}, 'Stock'), totals, legend(), filters,
    el('div', {class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'SKU table'}, table), pager);

  for (const c of COLUMNS) {
    const th = el('th', {scope: 'col', 'data-key': c.key, class: c.num ? 'n' : null},
      el('button', {type: 'button', onclick: () => sortBy(c.key)}, c.label));
    head.append(th);
  }
  head.append(el('th', {scope: 'col'}, 'Stock'));

  prefix.addEventListener('input', () => { view.prefix = prefix.value; refilter(); });
  below.addEventListener('input', () => {
    view.below = below.value === '' ? null : Number(below.value);
    refilter();
  });

  function refilter() {
    view.page = 0;
    if (paged) fetchPage(0).catch(onFailure);
    else draw();
  }

  function sortBy(key) {
    if (paged) return;
    view.dir = view.sort === key ? -view.dir : 1;
    view.sort = key;
    view.page = 0;
    sortRows();
    draw();
  }

  function sortRows() {
    const k = view.sort, d = view.dir;
    rows.sort((a, b) => (a[k] < b[k] ? -d : a[k] > b[k] ? d : a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }

  function filtered() {
    return rows.filter((r) => r.sku.startsWith(view.prefix) && (view.below === null || r.available_quantity < view.below));
  }

  function showTotals(items) {
    totals.replaceChildren(...items.map(([label, n, key]) =>
      el('div', {}, el('dt', {}, label), el('dd', {'data-total': key}, fmtNumber(n)))));
  }

  function showSort() {
    for (const th of head.querySelectorAll('th[data-key]')) {
      const button = th.querySelector('button');
      button.disabled = Boolean(paged);
      button.title = paged ? 'Over 10,000 SKUs are listed in SKU order, a page at a time' : '';
      if (th.dataset.key === view.sort) th.setAttribute('aria-sort', view.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
  }

  function showPager(first, count, of, hasNext, prev, next) {
    pager.replaceChildren(
      el('button', {type: 'button', disabled: view.page === 0, onclick: prev}, 'Previous'),
      el('span', {id: 'page-info'}, count
        ? `${fmtNumber(first + 1)}–${fmtNumber(first + count)} of ${of === null ? 'more' : fmtNumber(of)}`
        : 'No SKU matches'),
      el('button', {type: 'button', disabled: !hasNext, onclick: next}, 'Next'));
  }

  function draw(changed = new Set()) {
    if (paged) return drawPaged(changed);
    const list = filtered();
    const sum = (k) => list.reduce((n, r) => n + r[k], 0);
    showTotals([['SKUs', list.length, 'skus'], ['SOH', sum('soh'), 'soh'],
      ['Available', sum('available_quantity'), 'available'], ['Reserved', sum('reserved'), 'reserved']]);
    showSort();
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const first = view.page * PAGE;
    body.replaceChildren(...list.slice(first, first + PAGE).map((r) => row(r, changed.has(r.sku))));
    showPager(first, Math.min(PAGE, list.length - first), list.length, view.page < pages - 1,
      () => { view.page--; draw(); }, () => { view.page++; draw(); });
  }

  function drawPaged(changed = new Set()) {
    const list = paged.rows;
    const sum = (k) => list.reduce((n, r) => n + r[k], 0);
    const unfiltered = view.prefix === '' && view.below === null;
    showTotals([['SKUs', unfiltered ? paged.total : null, 'skus'], ['SOH on this page', sum('soh'), 'soh'],
      ['Available on this page', sum('available_quantity'), 'available'],
      ['Reserved on this page', sum('reserved'), 'reserved']]);
    showSort();
    body.replaceChildren(...list.map((r) => row(r, changed.has(r.sku))));
    const first = view.page * PAGE;
    const of = !paged.next ? first + list.length : unfiltered ? paged.total : null;
    showPager(first, list.length, of, Boolean(paged.next),
      () => fetchPage(view.page - 1).catch(onFailure), () => fetchPage(view.page + 1).catch(onFailure));
  }

  // Paged mode: page n of the filtered list, from the cursor that ends
  // page n - 1. Answers to an older request (the filter changed since) are
  // dropped.
  async function fetchPage(n, changed = new Set()) {
    const seq = ++fetchSeq;
    if (n === 0) paged.cursors = [null];
    const q = new URLSearchParams({limit: String(PAGE)});
    if (view.prefix !== '') q.set('prefix', view.prefix);
    if (view.below !== null && Number.isInteger(view.below) && view.below >= 0) q.set('below', String(view.below));
    if (paged.cursors[n]) q.set('after', paged.cursors[n]);
    // Only SKU characters can start a SKU: anything else matches none.
    const page = /^[A-Za-z0-9._:/-]{0,64}$/.test(view.prefix)
      ? await getPage('/inventory?' + q, {signal}) : {rows: [], next: null};
    if (seq !== fetchSeq) return;
    view.page = n;
    paged.rows = page.rows;
    paged.next = page.next;
    paged.cursors[n + 1] = page.next;
    bySku.clear();
    for (const r of page.rows) bySku.set(r.sku, r);
    drawPaged(changed);
  }

  function row(r, changed) {
    return el('tr', {'data-sku': r.sku, class: changed ? 'changed' : null},
      el('th', {scope: 'row'}, el('a', {href: skuPath(r.sku)}, r.sku)),
      el('td', {class: 'n', 'data-col': 'soh'}, fmtNumber(r.soh)),
      el('td', {class: 'n', 'data-col': 'available'}, fmtNumber(r.available_quantity)),
      el('td', {class: 'n', 'data-col': 'reserved'}, fmtNumber(r.reserved)),
      el('td', {class: 'n', 'data-col': 'version'}, fmtNumber(r.version)),
      el('td', {'data-col': 'updated'}, timeEl(r.updated_at)),
      el('td', {}, stockBar(r)));
  }

  // The first screen from one small request at any size: the first PAGE
  // SKUs in SKU order, with /stats's count of SKUs asked beside them. A list
  // of at most WHOLE SKUs is then read whole (sorted, filtered and totalled
  // here); a longer one stays a page at a time.
  async function load() {
    const [first, stats] = await Promise.all([
      getPage(`/inventory?limit=${PAGE}`, {signal}),
      get('/stats', {signal}).catch(() => null)]);
    let whole = first;
    if (first.next && !(stats && stats.skus > WHOLE)) whole = await getPage(`/inventory?limit=${WHOLE}`, {signal});
    if (whole.next) {
      view.sort = 'sku';
      view.dir = 1;
      view.page = 0;
      paged = {cursors: [null, first.next], rows: first.rows, next: first.next, total: stats ? stats.skus : null};
      rows = [];
      bySku.clear();
      for (const r of first.rows) bySku.set(r.sku, r);
      if (view.prefix !== '' || view.below !== null) await fetchPage(0);
      if (!stats) get('/stats', {signal}).then((s) => { if (paged) { paged.total = s.skus; drawPaged(); } }, () => {});
      return;
    }
    paged = null;
    rows = whole.rows;
    bySku.clear();
    for (const r of rows) bySku.set(r.sku, r);
    sortRows();
  }

  // The head first: every event after it is one the list may not show yet.
  const health = await get('/healthz', {signal});
  await load();
  draw();
  setStatus(paged
    ? `Over ${fmtNumber(WHOLE)} SKUs at seq ${health.head_seq}, listed a page at a time; following new events.`
    : `${fmtNumber(rows.length)} SKUs at seq ${health.head_seq}; following new events.`);
  main.dataset.ready = 'true';

  follow(health.head_seq, async (events) => {
    const stale = new Set();
    for (const e of events) {
      const known = bySku.get(e.sku);
      if (!known || known.version < e.version) stale.add(e.sku);
    }
    if (!stale.size) return;
    try {
      if (paged) {
        // The page is read again when a change falls within it (a new SKU
        // may sort into it).
        const list = paged.rows;
        const last = paged.next ? list[list.length - 1].sku : null;
        const lo = paged.cursors[view.page];
        const touches = [...stale].some((sku) => (lo === null || sku > lo) && (last === null || sku <= last));
        if (!touches) return;
        await fetchPage(view.page, stale);
      } else if (stale.size > REFETCH_ABOVE) {
        await load();
        draw(stale);
      } else {
        for (const sku of stale) {
          const s = await get(skuUrl(sku, '/state'), {signal});
          const r = {sku: s.sku, soh: s.soh, available_quantity: s.available_quantity, reserved: s.reserved,
                     version: s.version, updated_at: s.updated_at};
          if (bySku.has(sku)) Object.assign(bySku.get(sku), r);
          else { rows.push(r); bySku.set(sku, r); }
        }
        if (rows.length > WHOLE) await load();
        else sortRows();
        draw(stale);
      }
      setStatus(`Updated ${[...stale].slice(0, 5).join(', ')}${stale.size > 5 ? '…' : ''} at seq ${events[events.length - 1].seq}.`);
    } catch (e) {
      onFailure(e);
    }
  }, {signal, onError: (e) => feedError(e, onFailure)});
}

function legend() {
  const item = (cls, text) => el('li', {}, svgSwatch(cls), text);
  return el('ul', {class: 'legend', 'aria-label': 'Bar legend'},
    item('bar-available', 'available'), item('bar-reserved', 'reserved'), item('bar-rest', 'rest of soh'));
}

function svgSwatch(cls) {
  return svg('svg', {width: 16, height: 12, 'aria-hidden': 'true', class: 'swatch'},
    svg('rect', {x: 0.5, y: 0.5, width: 15, height: 11, class: cls}));
}
