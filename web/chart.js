// The step chart of a SKU's page: soh, available and reserved after each
// command, drawn as SVG step lines (a value holds until the next command).
// Each line has its own dash pattern and an end label, not a colour alone.
import {localTime, svg} from './util.js';

export const SERIES = [
  {key: 'soh', label: 'SOH', cls: 'line-soh'},
  {key: 'available_quantity', label: 'Available', cls: 'line-available'},
  {key: 'reserved', label: 'Reserved', cls: 'line-reserved'},
];

// The steps within [from, to]: [[t, value], ...] per series, starting with
// the value that held at `from` (when the SKU existed then).
export function steps(points, from, to) {
  const out = {};
  for (const s of SERIES) {
    const list = [];
    let before = null;
    for (const p of points) {
      if (p.t < from) before = p;
      else if (p.t <= to) list.push([p.t, p.state[s.key]]);
    }
    if (before) list.unshift([from, before.state[s.key]]);
    out[s.key] = list;
  }
  return out;
}

// points: [{t: ms, state}], in time order. Returns the <svg>.
export function stepChart(points, from, to, {width = 720, height = 260} = {}) {
  const pad = {l: 48, r: 84, t: 12, b: 36};
  const w = width - pad.l - pad.r, h = height - pad.t - pad.b;
  const series = steps(points, from, to);
  let max = 1;
  for (const s of SERIES) for (const [, v] of series[s.key]) max = Math.max(max, v);
  const x = (t) => pad.l + ((t - from) / Math.max(1, to - from)) * w;
  const y = (v) => pad.t + h - (v / max) * h;
  const chart = svg('svg', {class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img', id: 'chart',
                            'aria-label': `Step chart of soh, available and reserved from ${localTime(new Date(from))} to ${localTime(new Date(to))}`});
  // Axes: zero and the maximum, the two ends of the range.
  chart.append(svg('line', {x1: pad.l, y1: y(0), x2: pad.l + w, y2: y(0), class: 'axis'}),
    svg('line', {x1: pad.l, y1: pad.t, x2: pad.l, y2: pad.t + h, class: 'axis'}),
    svg('text', {x: pad.l - 6, y: y(0), class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle'}, '0'),
    svg('text', {x: pad.l - 6, y: y(max), class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle'}, String(max)),
    svg('text', {x: pad.l, y: height - 10, class: 'tick'}, localTime(new Date(from))),
    svg('text', {x: pad.l + w, y: height - 10, class: 'tick', 'text-anchor': 'end'}, localTime(new Date(to))));
  for (const s of SERIES) {
    const list = series[s.key];
    if (!list.length) continue;
    // A step: along at the old value to the command's time, then up or down.
    const coords = [];
    list.forEach(([t, v], i) => {
      if (i > 0) coords.push([x(t), y(list[i - 1][1])]);
      coords.push([x(t), y(v)]);
    });
    const last = list[list.length - 1];
    coords.push([x(to), y(last[1])]);
    chart.append(svg('polyline', {class: `line ${s.cls}`, 'data-series': s.key,
                                  'data-steps': JSON.stringify(list),
                                  points: coords.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(' ')},
      svg('title', {}, `${s.label}: ${last[1]} at the end of the range`)));
    chart.append(svg('text', {x: pad.l + w + 6, y: y(last[1]), class: `end-label ${s.cls}-label`,
                              'dominant-baseline': 'middle', 'data-series': s.key}, `${s.label} ${last[1]}`));
  }
  return chart;
}
