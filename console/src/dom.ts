/** Small DOM helpers: elements from tag, attributes and children (text is always text, never HTML). */
export type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') made.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) made.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) {
      made.setAttribute(name, String(value));
    }
  }
  append(made, ...children);
  return made;
}

export function append(parent: Element, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'number' ? String(child) : child);
  }
}

/** The page's fixed element of this id. */
export function byId<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

/** Says something in the status line (a live region: screen readers read it out). */
export function say(text: string, kind: 'info' | 'error' = 'info'): void {
  const status = byId('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

let hints = 0;

/**
 * A labelled form field: the label wraps the control, so it names it for screen readers; a
 * hint below it describes the control (aria-describedby) without becoming part of its name.
 */
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  const labelled = h('label', {}, h('span', { class: 'label' }, label), control);
  if (hint === undefined) return labelled;
  const id = `hint-${++hints}`;
  control.setAttribute('aria-describedby', id);
  return h('div', { class: 'field' }, labelled, h('small', { id }, hint));
}

/** A `<select>` of choices, `value` chosen. */
export function select(
  name: string,
  choices: readonly (string | readonly [string, string])[],
  value = '',
): HTMLSelectElement {
  const made = h('select', { name });
  for (const choice of choices) {
    const [key, text] = typeof choice === 'string' ? [choice, choice] : choice;
    made.append(h('option', { value: key, selected: key === value }, text));
  }
  return made;
}

/** A form's fields as strings, by name. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string') values[name] = value.trim();
  }
  return values;
}

/** Replaces an element's children (skipping the absent ones, as `h` does). */
export function fill(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}
