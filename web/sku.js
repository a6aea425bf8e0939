// `/sku/{sku}`: the current state, the step chart over a chosen range, the
// events with the state after each command, and the state as of any moment.
import {ApiError, get, skuUrl} from './api.js';
import {stepChart} from './chart.js';
import {describeData, el, fmtNumber, setStatus, timeEl} from './util.js';

const RANGES = [
  ['day', 'Last day', 864e5],
  ['week', 'Last week', 7 * 864e5],
  ['month', 'Last month', 30 * 864e5],
  ['all', 'All', null],
];

function stateList(s, id) {
  return el('dl', {class: 'state', id},
    ...[['SOH', s.soh, 'soh'], ['Available', s.available_quantity, 'available'], ['Reserved', s.reserved, 'reserved'],
        ['Version', s.version, 'version']]
      .map(([label, v, key]) => el('div', {}, el('dt', {}, label), el('dd', {'data-col': key}, fmtNumber(v)))),
    el('div', {}, el('dt', {}, 'Last change'), el('dd', {'data-col': 'updated'}, timeEl(s.updated_at))));
}

// A datetime-local value (the browser's local time) as RFC 3339 UTC.
function toUtc(local) {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export async function renderSku(main, sku, signal) {
  document.title = `${sku} · invlog`;
  const [state, history] = await Promise.all([get(skuUrl(sku, '/state'), {signal}), get(skuUrl(sku, '/history'), {signal})]);
  // The state after each command: history carries it on the command's last
  // event, null on the others.
  const points = history.filter((e) => e.state).map((e) => ({t: Date.parse(e.recorded_at), state: e.state, seq: e.seq}));

  main.append(el('h1', {}, el('span', {class: 'muted'}, 'SKU '), sku), stateList(state, 'current'));

  // The chart and its range.
  const chartBox = el('div', {class: 'chart-box'});
  const picker = el('fieldset', {class: 'ranges'}, el('legend', {}, 'Range'));
  for (const [value, label] of RANGES) {
    const id = 'range-' + value;
    picker.append(el('input', {type: 'radio', name: 'range', id, value, checked: value === 'all',
                               onchange: () => drawChart(value)}),
      el('label', {for: id}, label));
  }
  function drawChart(range) {
    const span = RANGES.find((r) => r[0] === range)[2];
    const to = Date.now();
    const from = span ? to - span : (points.length ? points[0].t : to - 864e5);
    chartBox.replaceChildren(stepChart(points, from, Math.max(to, from + 1)));
    chartBox.dataset.range = range;
  }
  main.append(el('h2', {}, 'Stock over time'), picker,
    el('ul', {class: 'legend'}, el('li', {class: 'k-soh'}, 'SOH: solid'),
      el('li', {class: 'k-available'}, 'Available: dashed'), el('li', {class: 'k-reserved'}, 'Reserved: dotted')),
    chartBox);
  drawChart('all');

  // As of a moment.
  const at = el('input', {type: 'datetime-local', id: 'as-of', step: '0.001', required: true});
  const result = el('div', {id: 'as-of-result', 'aria-live': 'polite'});
  const form = el('form', {class: 'as-of', onsubmit: async (ev) => {
    ev.preventDefault();
    const iso = toUtc(at.value);
    if (!iso) return;
    result.replaceChildren(el('p', {}, 'Reading…'));
    try {
      const s = await get(skuUrl(sku, '/state?as_of=' + encodeURIComponent(iso)), {signal});
      result.replaceChildren(el('p', {}, 'As of ', timeEl(iso), ':'), stateList(s, 'as-of-state'));
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      result.replaceChildren(el('p', {class: 'error', 'data-code': e.code || ''}, e.message));
    }
    result.dataset.asOf = iso;
  }}, el('label', {for: 'as-of'}, 'State as of (local time)'), at, el('button', {type: 'submit'}, 'Show'));
  main.append(el('h2', {}, 'As of a moment'), form, result);

  // The events, newest first.
  const rows = history.slice().reverse().map((e) => el('tr', {'data-seq': e.seq},
    el('td', {class: 'n'}, e.seq), el('td', {}, timeEl(e.recorded_at)), el('td', {}, e.event_type),
    el('td', {}, describeData(e.data)), el('td', {}, e.actor || '—'), el('td', {}, e.reason || '—'),
    el('td', {class: 'n', 'data-col': 'after'},
      e.state ? `${e.state.soh} / ${e.state.available_quantity} / ${e.state.reserved}` : '')));
  main.append(el('h2', {}, 'Events'),
    el('div', {class: 'scroll', tabindex: 0, role: 'region', 'aria-label': 'Events of ' + sku},
      el('table', {class: 'events', id: 'history'},
        el('caption', {}, 'Newest first; the state after each command as soh / available / reserved.'),
        el('thead', {}, el('tr', {}, ...['Seq', 'Time', 'Event', 'Change', 'Actor', 'Reason', 'After']
          .map((h) => el('th', {scope: 'col'}, h)))),
        el('tbody', {}, rows))));
  setStatus(`${sku}: ${history.length} events.`);
  main.dataset.ready = 'true';
}
