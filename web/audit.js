// `/audit`: the report of verify (run again with the button) and where each
// export destination stands behind the head.
import {get} from './api.js';
import {el, fmtNumber, setStatus, timeEl} from './util.js';

export async function renderAudit(main, signal) {
  const report = el('div', {id: 'verify', 'aria-live': 'polite'});
  const run = el('button', {type: 'button', id: 'run-verify', onclick: () => verify()}, 'Run verify');
  const exports = el('div', {id: 'exports'});
  main.append(el('h1', {}, 'Audit'), el('h2', {}, 'Verify'), run, report, el('h2', {}, 'Exports'), exports);

  async function verify() {
    run.disabled = true;
    report.replaceChildren(el('p', {}, 'Verifying the whole log…'));
    try {
      const r = await get('/verify', {signal});
      const problems = r.problems || [];
      report.replaceChildren(
        el('p', {class: r.ok ? 'ok' : 'error', 'data-ok': String(r.ok)},
          r.ok ? '✓ The log verifies.' : `✗ ${problems.length} problem${problems.length === 1 ? '' : 's'} found.`),
        el('dl', {class: 'state'},
          ...[['Head seq', fmtNumber(r.head_seq), 'head-seq'], ['Head hash', el('code', {}, r.head_hash || '—'), 'head-hash'],
              ['Events', fmtNumber(r.events), 'events'], ['SKUs', fmtNumber(r.skus), 'skus']]
            .map(([label, v, key]) => el('div', {}, el('dt', {}, label), el('dd', {'data-col': key}, v))),
          el('div', {}, el('dt', {}, 'Checked at'), el('dd', {}, timeEl(new Date().toISOString())))),
        problems.length
          ? el('ul', {class: 'problems'}, problems.map((p) => el('li', {}, typeof p === 'string' ? p : JSON.stringify(p))))
          : '');
      setStatus(r.ok ? 'Verify: ok.' : 'Verify: problems found.');
    } finally {
      run.disabled = false;
    }
  }

  const [, positions] = await Promise.all([verify(), get('/exports', {signal})]);
  exports.replaceChildren(positions.length
    ? el('table', {class: 'events', id: 'export-table'},
      el('caption', {}, 'Lag: events appended since the destination last acknowledged.'),
      el('thead', {}, el('tr', {}, ...['Destination', 'Last seq', 'Lag', 'Updated'].map((h) => el('th', {scope: 'col'}, h)))),
      el('tbody', {}, positions.map((p) => el('tr', {},
        el('th', {scope: 'row'}, p.destination), el('td', {class: 'n'}, fmtNumber(p.last_seq)),
        el('td', {class: 'n', 'data-col': 'lag'}, fmtNumber(p.lag)), el('td', {}, timeEl(p.updated_at))))))
    : el('p', {class: 'muted'}, 'No export has run on this log.'));
  main.dataset.ready = 'true';
}
