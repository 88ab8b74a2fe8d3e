import { type Child, h } from './dom.js';
import { count } from './format.js';

export interface Column<R> {
  readonly label: string;
  /** The server's sort key, when the column sorts. */
  readonly sort?: string;
  readonly cell: (row: R) => Child;
}

export interface Page<R> {
  readonly rows: R[];
  readonly total: number;
  readonly totalCapped: boolean;
}

export type TableQuery = Record<string, string | number | undefined>;

export interface TableOptions<R> {
  readonly caption: string;
  readonly columns: readonly Column<R>[];
  readonly key: (row: R) => string;
  readonly load: (query: TableQuery) => Promise<Page<R>>;
  readonly searchLabel: string;
  /** Filters (selects named after their query parameter), shown beside the search box. */
  readonly filters?: readonly HTMLSelectElement[];
  readonly defaultSort: string;
  /** What the empty table says, and what to do next. */
  readonly empty: (filtered: boolean) => Child;
  /** With a selection: the bulk actions' buttons, given the selected keys. */
  readonly bulk?: (selected: () => string[], done: () => void) => HTMLElement[];
  /** The search to start with (a link from elsewhere: a user's logins). */
  readonly initialText?: string;
}

const PAGE = 50;

/**
 * A server-side table: search (debounced), filters, sorting by column, paging, and an optional
 * selection for bulk actions. `refresh` reloads the page as it is, keeping the focused control,
 * the selection and the scroll position.
 */
export function pagedTable<R>(options: TableOptions<R>) {
  const state = {
    text: options.initialText ?? '',
    sort: options.defaultSort,
    order: 'asc',
    offset: 0,
  };
  const selected = new Set<string>();
  const search = h('input', {
    type: 'search',
    name: 'text',
    autocomplete: 'off',
    value: state.text,
  });
  const summary = h('p', { class: 'summary', 'aria-live': 'polite' });
  const tbody = h('tbody');
  const head = h('tr');
  const previous = h('button', { type: 'button' }, 'Previous page');
  const next = h('button', { type: 'button' }, 'Next page');
  const bulkBar = h('div', { class: 'bulk', hidden: true });
  let timer: ReturnType<typeof setTimeout> | undefined;

  const query = (): TableQuery => {
    const filters: TableQuery = {};
    for (const filter of options.filters ?? []) filters[filter.name] = filter.value || undefined;
    return {
      ...filters,
      text: state.text || undefined,
      sort: state.sort,
      order: state.order,
      offset: state.offset,
      limit: PAGE,
    };
  };
  const filtered = () => state.text !== '' || (options.filters ?? []).some((f) => f.value !== '');

  const drawHead = () =>
    head.replaceChildren(
      ...headerCells(options, state, (sort) => {
        state.order = state.sort === sort && state.order === 'asc' ? 'desc' : 'asc';
        state.sort = sort;
        state.offset = 0;
        void refresh();
      }),
    );

  const drawRows = (page: Page<R>) => {
    const focused = document.activeElement as HTMLElement | null;
    const focusKey = focused?.closest<HTMLElement>('tr[data-key]')?.dataset.key;
    const focusWhich = focused?.dataset.focus;
    tbody.replaceChildren(...page.rows.map((row) => bodyRow(options, row, selected, drawBulk)));
    if (page.rows.length === 0) {
      const span = options.columns.length + (options.bulk === undefined ? 0 : 1);
      tbody.append(
        h('tr', {}, h('td', { colspan: span, class: 'empty' }, options.empty(filtered()))),
      );
    }
    if (focusKey !== undefined && focusWhich !== undefined) {
      const again = [...tbody.querySelectorAll<HTMLElement>('tr[data-key]')]
        .find((tr) => tr.dataset.key === focusKey)
        ?.querySelector<HTMLElement>(`[data-focus="${focusWhich}"]`);
      again?.focus();
    }
    const first = page.total === 0 ? 0 : state.offset + 1;
    const last = state.offset + page.rows.length;
    summary.textContent = `Rows ${first.toLocaleString()}-${last.toLocaleString()} of ${count(page.total, page.totalCapped)}`;
    previous.disabled = state.offset === 0;
    next.disabled = last >= page.total && !page.totalCapped;
  };

  const drawBulk = () => {
    if (options.bulk === undefined) return;
    bulkBar.hidden = selected.size === 0;
    bulkBar.replaceChildren(
      h('span', {}, `${selected.size} selected`),
      ...options.bulk(
        () => [...selected],
        () => {
          selected.clear();
          drawBulk();
          void refresh();
        },
      ),
    );
  };

  async function refresh(): Promise<void> {
    const scroll = window.scrollY;
    drawHead();
    drawRows(await options.load(query()));
    window.scrollTo({ top: scroll });
  }

  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.text = search.value.trim();
      state.offset = 0;
      void refresh();
    }, 250);
  });
  for (const filter of options.filters ?? []) {
    filter.addEventListener('change', () => {
      state.offset = 0;
      void refresh();
    });
  }
  previous.addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE);
    void refresh();
  });
  next.addEventListener('click', () => {
    state.offset += PAGE;
    void refresh();
  });

  const element = h(
    'section',
    { class: 'table' },
    h(
      'div',
      { class: 'toolbar' },
      h('label', {}, h('span', { class: 'label' }, options.searchLabel), search),
      ...(options.filters ?? []).map((filter) =>
        h('label', {}, h('span', { class: 'label' }, filter.dataset.label ?? filter.name), filter),
      ),
    ),
    bulkBar,
    h(
      'div',
      { class: 'scroll' },
      h(
        'table',
        {},
        h('caption', { class: 'visually-hidden' }, options.caption),
        h('thead', {}, head),
        tbody,
      ),
    ),
    h('div', { class: 'pager' }, summary, previous, next),
  );
  return { element, refresh, query };
}

interface SortState {
  readonly sort: string;
  readonly order: string;
}

/** The header: a sort button per sortable column, `aria-sort` saying the order. */
function headerCells<R>(
  options: TableOptions<R>,
  state: SortState,
  onSort: (sort: string) => void,
): HTMLElement[] {
  const selectHead =
    options.bulk === undefined
      ? []
      : [h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Selected'))];
  return [
    ...selectHead,
    ...options.columns.map((column) => {
      const sort = column.sort;
      if (sort === undefined) return h('th', { scope: 'col' }, column.label);
      const sorted = state.sort === sort;
      const arrow = sorted ? (state.order === 'asc' ? ' ▲' : ' ▼') : '';
      const button = h(
        'button',
        { type: 'button', class: 'sort', 'data-focus': `sort-${sort}` },
        column.label,
        arrow,
      );
      button.addEventListener('click', () => onSort(sort));
      const ariaSort = sorted ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none';
      return h('th', { scope: 'col', 'aria-sort': ariaSort }, button);
    }),
  ];
}

/** One row: its key for focus and selection, a checkbox with a selection, a cell per column. */
function bodyRow<R>(
  options: TableOptions<R>,
  row: R,
  selected: Set<string>,
  onSelect: () => void,
): HTMLTableRowElement {
  const key = options.key(row);
  const tr = h('tr', { 'data-key': key });
  if (options.bulk !== undefined) {
    const box = h('input', {
      type: 'checkbox',
      'aria-label': `Select ${key}`,
      'data-focus': 'select',
      checked: selected.has(key),
    });
    box.addEventListener('change', () => {
      if (box.checked) selected.add(key);
      else selected.delete(key);
      onSelect();
    });
    tr.append(h('td', { class: 'select' }, box));
  }
  for (const column of options.columns) {
    tr.append(h('td', { 'data-label': column.label }, column.cell(row)));
  }
  return tr;
}
