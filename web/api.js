// The dashboard's only way to the data: the public JSON API, with the token
// the user typed (kept in session storage) as a bearer token.
const TOKEN_KEY = 'invlog.token';

export class Unauthorized extends Error {}

export class ApiError extends Error {
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export const token = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (t) => sessionStorage.setItem(TOKEN_KEY, t),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

// GET path: the decoded JSON body; throws Unauthorized on 401 and ApiError
// on any other refusal (with the API's detail and code).
export async function get(path, {signal, onHeaders} = {}) {
  // JSON explicitly: /events is the dashboard page for a client that
  // prefers HTML.
  const headers = {Accept: 'application/json'};
  const t = token.get();
  if (t) headers.Authorization = 'Bearer ' + t;
  const res = await fetch(path, {headers, signal, cache: 'no-store'});
  if (res.status === 401) throw new Unauthorized(t ? 'the token was refused' : 'this server needs a token');
  let body = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) throw new ApiError(res.status, (body && body.detail) || res.statusText, body && body.code);
  if (onHeaders) onHeaders(res.headers);
  return body;
}

// GET of a page of a list: {rows, next}, next being the cursor (the `after`
// of the Link rel="next") of the page that follows, or null on the last.
export async function getPage(path, {signal} = {}) {
  let next = null;
  const rows = await get(path, {signal, onHeaders: (h) => { next = nextCursor(h.get('Link')); }});
  return {rows, next};
}

export function nextCursor(link) {
  const m = link && link.match(/<([^>]*)>\s*;\s*rel="next"/);
  return m ? new URL(m[1], location.origin).searchParams.get('after') : null;
}

export const skuUrl = (sku, rest = '') => '/inventory/' + encodeURIComponent(sku) + rest;

// Follows the event feed from seq `after`: calls onEvents(list) for each
// batch, until signal aborts. A failed poll is retried after a pause.
export async function follow(after, onEvents, {signal, onError} = {}) {
  let seq = after;
  while (!signal || !signal.aborted) {
    try {
      const events = await get(`/events?after=${seq}&wait=25&limit=500`, {signal});
      if (events.length) {
        seq = events[events.length - 1].seq;
        onEvents(events);
      }
    } catch (e) {
      if (signal && signal.aborted) return;
      if (onError) onError(e);
      if (e instanceof Unauthorized) return;
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
