import { type Child, h } from './dom.js';

/** A small table of fixed rows (no paging), each cell named by its column on narrow screens. */
export function simpleTable(labels: readonly string[], rows: readonly Child[][], caption?: string) {
  return h(
    'div',
    { class: 'scroll' },
    h(
      'table',
      {},
      caption === undefined ? null : h('caption', { class: 'visually-hidden' }, caption),
      h('thead', {}, h('tr', {}, ...labels.map((label) => h('th', { scope: 'col' }, label)))),
      h(
        'tbody',
        {},
        ...rows.map((cells) =>
          h('tr', {}, ...cells.map((cell, i) => h('td', { 'data-label': labels[i] ?? '' }, cell))),
        ),
      ),
    ),
  );
}
