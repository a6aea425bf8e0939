// `/`: every SKU with its stacked bar, totals, sorting, filters and paging,
// from one GET /inventory; kept live by the event feed's long poll.
import {follow, get, skuUrl} from './api.js';
import {el, feedError, fmtNumber, setStatus, skuPath, svg, timeEl} from './util.js';

const PAGE = 100;
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
  const view = {sort: 'sku', dir: 1, prefix: '', below: null, page: 0};
  const bySku = new Map();
  let rows = [];

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

  prefix.addEventListener('input', () => { view.prefix = prefix.value; view.page = 0; draw(); });
  below.addEventListener('input', () => {
    view.below = below.value === '' ? null : Number(below.value);
    view.page = 0;
    draw();
  });

  function sortBy(key) {
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

  function draw(changed = new Set()) {
    const list = filtered();
    const sum = (k) => list.reduce((n, r) => n + r[k], 0);
    totals.replaceChildren(
      ...[['SKUs', list.length, 'skus'], ['SOH', sum('soh'), 'soh'], ['Available', sum('available_quantity'), 'available'],
          ['Reserved', sum('reserved'), 'reserved']]
        .map(([label, n, key]) => el('div', {}, el('dt', {}, label), el('dd', {'data-total': key}, fmtNumber(n)))));
    for (const th of head.querySelectorAll('th[data-key]')) {
      if (th.dataset.key === view.sort) th.setAttribute('aria-sort', view.dir > 0 ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    view.page = Math.min(view.page, pages - 1);
    const first = view.page * PAGE;
    body.replaceChildren(...list.slice(first, first + PAGE).map((r) => row(r, changed.has(r.sku))));
    pager.replaceChildren(
      el('button', {type: 'button', disabled: view.page === 0, onclick: () => { view.page--; draw(); }}, 'Previous'),
      el('span', {id: 'page-info'}, list.length
        ? `${fmtNumber(first + 1)}–${fmtNumber(Math.min(first + PAGE, list.length))} of ${fmtNumber(list.length)}`
        : 'No SKU matches'),
      el('button', {type: 'button', disabled: view.page >= pages - 1, onclick: () => { view.page++; draw(); }}, 'Next'));
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

  async function load() {
    rows = await get('/inventory', {signal});
    bySku.clear();
    for (const r of rows) bySku.set(r.sku, r);
    sortRows();
  }

  // The head first: every event after it is one the list may not show yet.
  const health = await get('/healthz', {signal});
  await load();
  draw();
  setStatus(`${fmtNumber(rows.length)} SKUs at seq ${health.head_seq}; following new events.`);
  main.dataset.ready = 'true';

  follow(health.head_seq, async (events) => {
    const stale = new Set();
    for (const e of events) {
      const known = bySku.get(e.sku);
      if (!known || known.version < e.version) stale.add(e.sku);
    }
    if (!stale.size) return;
    try {
      if (stale.size > REFETCH_ABOVE) {
        await load();
      } else {
        for (const sku of stale) {
          const s = await get(skuUrl(sku, '/state'), {signal});
          const r = {sku: s.sku, soh: s.soh, available_quantity: s.available_quantity, reserved: s.reserved,
                     version: s.version, updated_at: s.updated_at};
          if (bySku.has(sku)) Object.assign(bySku.get(sku), r);
          else { rows.push(r); bySku.set(sku, r); }
        }
        sortRows();
      }
      draw(stale);
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
