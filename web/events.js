// `/events`: the feed, newest first, following new events as they arrive;
// paused while the reader is scrolled down (or pressed Pause), with the
// count of the events held back.
import {follow, get} from './api.js';
import {describeData, el, feedError, setStatus, skuPath, timeEl} from './util.js';

const SHOWN = 200;

export async function renderEvents(main, signal, onFailure) {
  const body = el('tbody');
  const held = [];
  let paused = false;
  const pause = el('button', {type: 'button', id: 'pause', 'aria-pressed': 'false', onclick: () => {
    paused = !paused;
    pause.setAttribute('aria-pressed', String(paused));
    pause.textContent = paused ? 'Resume' : 'Pause';
    flush();
  }}, 'Pause');
  const note = el('p', {id: 'held', class: 'muted'});
  main.append(el('h1', {}, 'Events'), el('div', {class: 'toolbar'}, pause, note),
    el('div', {class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Event feed'},
      el('table', {class: 'events', id: 'feed'},
        el('caption', {}, 'Newest first.'),
        el('thead', {}, el('tr', {}, ...['Seq', 'Time', 'SKU', 'Event', 'Change', 'Actor', 'Reason']
          .map((h) => el('th', {scope: 'col'}, h)))),
        body)));

  const row = (e) => el('tr', {'data-seq': e.seq},
    el('td', {class: 'n'}, e.seq), el('td', {}, timeEl(e.recorded_at)),
    el('th', {scope: 'row'}, el('a', {href: skuPath(e.sku)}, e.sku)), el('td', {}, e.event_type),
    el('td', {}, describeData(e.data)), el('td', {}, e.actor || '—'), el('td', {}, e.reason || '—'));

  const scrolled = () => window.scrollY > 40 || main.querySelector('.scroll').scrollTop > 40;
  function flush() {
    if (paused || scrolled()) {
      note.textContent = held.length ? `${held.length} new event${held.length > 1 ? 's' : ''} held while paused.` : '';
      return;
    }
    for (const e of held) body.prepend(row(e));
    held.length = 0;
    while (body.rows.length > SHOWN) body.lastElementChild.remove();
    note.textContent = '';
  }
  window.addEventListener('scroll', flush, {passive: true, signal});

  const health = await get('/healthz', {signal});
  const after = Math.max(0, health.head_seq - SHOWN);
  const recent = await get(`/events?after=${after}&limit=${SHOWN}`, {signal});
  for (const e of recent) body.prepend(row(e));
  setStatus(`Following the feed from seq ${health.head_seq}.`);
  main.dataset.ready = 'true';
  follow(health.head_seq, (events) => {
    held.push(...events);
    flush();
  }, {signal, onError: (e) => feedError(e, onFailure)});
}
