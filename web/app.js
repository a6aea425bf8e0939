// The dashboard's entry: picks the page the location names and draws it;
// when the API answers 401, asks for a token once and draws the page again.
import {ApiError, Unauthorized, token} from './api.js';
import {renderAudit} from './audit.js';
import {renderEvents} from './events.js';
import {renderOverview} from './overview.js';
import {renderSku} from './sku.js';
import {el, setStatus} from './util.js';

function route(path) {
  if (path === '/' || path === '') return {name: 'overview', render: renderOverview};
  if (path === '/events') return {name: 'events', render: renderEvents};
  if (path === '/audit') return {name: 'audit', render: renderAudit};
  const m = path.match(/^\/sku\/([^/]+)$/);
  if (m) return {name: 'sku', render: (main, signal) => renderSku(main, decodeURIComponent(m[1]), signal)};
  return null;
}

let controller = null;

async function show() {
  if (controller) controller.abort();
  controller = new AbortController();
  const main = document.getElementById('main');
  main.replaceChildren();
  const page = route(location.pathname);
  for (const a of document.querySelectorAll('nav a')) {
    if (page && a.dataset.page === page.name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!page) {
    main.append(el('h1', {}, 'Not found'));
    return;
  }
  try {
    await page.render(main, controller.signal, onFailure);
  } catch (e) {
    onFailure(e);
  }
}

// A failure of any request of the page: a token prompt for 401, else the
// API's message.
function onFailure(e) {
  if (e instanceof Unauthorized) {
    askToken(e.message);
  } else if (e && e.name === 'AbortError') {
    // the page was left
  } else {
    const text = e instanceof ApiError ? `${e.message} (HTTP ${e.status}${e.code ? ', ' + e.code : ''})` : String(e);
    setStatus('Error: ' + text);
    document.getElementById('main').append(el('p', {class: 'error', role: 'alert'}, text));
  }
}

function askToken(why) {
  if (controller) controller.abort();
  const form = document.getElementById('token-form');
  document.getElementById('token-why').textContent = why.charAt(0).toUpperCase() + why.slice(1) + ': type it to go on.';
  document.getElementById('main').replaceChildren();
  form.hidden = false;
  document.getElementById('token-input').focus();
}

document.getElementById('token-form').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const input = document.getElementById('token-input');
  token.set(input.value.trim());
  input.value = '';
  ev.target.hidden = true;
  show();
});

show();
