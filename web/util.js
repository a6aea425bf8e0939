// Small DOM and formatting helpers shared by the pages.

// el('td', {class: 'n', 'data-col': 'soh'}, '10'): an element with
// attributes (never a style attribute: the CSP forbids it) and children.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const SVG = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const number = new Intl.NumberFormat();
export const fmtNumber = (n) => (n === null || n === undefined ? '—' : number.format(n));

// A <time>: the local time shown, the UTC time on hover.
export function timeEl(iso) {
  if (!iso) return document.createTextNode('—');
  const d = new Date(iso);
  return el('time', {datetime: iso, title: 'UTC ' + iso.replace('T', ' ').replace('Z', '')}, localTime(d));
}

export function localTime(d) {
  return d.toLocaleString(undefined, {
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
}

export function skuPath(sku) {
  return '/sku/' + encodeURIComponent(sku);
}

export function setStatus(text) {
  document.getElementById('status').textContent = text;
}

// The data of an event as its catalogue names it: "reserved: 10" (the sign
// is in the event's type).
export function describeData(data) {
  if (!data) return '';
  return Object.entries(data)
    .map(([k, v]) => `${k.replace('_quantity', '')}: ${v}`)
    .join(', ');
}

// A failed poll of the feed: a refused token is the page's failure, anything
// else is retried and only told.
export function feedError(e, onFailure) {
  if (e && e.constructor && e.constructor.name === 'Unauthorized') onFailure(e);
  else setStatus(`Live updates interrupted (${e.message}); retrying.`);
}
