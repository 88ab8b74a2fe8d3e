import type { LoginStats } from '../../src/gateway/console/console-api-types.js';
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const RESULTS = ['accept', 'challenge', 'reject'] as const;

function svg(tag: string, attributes: Record<string, string | number>): SVGElement {
  const made = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, String(value));
  return made;
}

/**
 * Logins per hour as stacked bars (accepted, challenged, rejected), scaled to the busiest hour;
 * the figure's text says the totals for screen readers, and each bar's title its hour.
 */
export function loginsChart(stats: LoginStats): HTMLElement {
  const width = 720;
  const height = 160;
  const most = Math.max(1, ...stats.perHour.map((h) => h.accept + h.reject + h.challenge));
  const bar = width / Math.max(1, stats.perHour.length);
  const drawing = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-hidden': 'true',
    preserveAspectRatio: 'none',
  });
  stats.perHour.forEach((hour, index) => {
    let y = height;
    for (const result of RESULTS) {
      const size = (hour[result] / most) * (height - 4);
      if (size === 0) continue;
      y -= size;
      const rect = svg('rect', {
        x: index * bar + 0.5,
        y,
        width: Math.max(1, bar - 1),
        height: size,
        class: `bar ${result}`,
      });
      const title = svg('title', {});
      title.textContent = `${new Date(hour.hour).toLocaleString()}: ${hour[result]} ${result}`;
      rect.append(title);
      drawing.append(rect);
    }
  });
  const totals = Object.fromEntries(
    RESULTS.map((r) => [r, stats.perHour.reduce((sum, hour) => sum + hour[r], 0)]),
  );
  return h(
    'figure',
    { class: 'chart' },
    drawing,
    h(
      'figcaption',
      {},
      ...RESULTS.map((r) =>
        h(
          'span',
          { class: `key ${r}` },
          `${totals[r]?.toLocaleString()} ${r === 'accept' ? 'accepted' : r === 'reject' ? 'rejected' : 'challenged'}`,
        ),
      ),
      ` in ${stats.perHour.length} hours, busiest hour ${most === 1 && totals.accept === 0 ? 0 : most}`,
    ),
  );
}
