/** The page's fixed elements, and the status line every view speaks through. */
export function element<T extends HTMLElement>(id: string): T {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`#${id} is missing from the page`);
  return found as T;
}

/** Says something in the status line (a live region: screen readers read it out). */
export function say(text: string, kind: 'info' | 'error' = 'info'): void {
  const status = element('status');
  status.textContent = text;
  status.dataset.kind = kind;
}

/** A new element with a class and text. */
export function make<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const made = document.createElement(tag);
  made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
}

/** A button that says what it does. */
export function button(className: string, text: string, onClick: () => void): HTMLButtonElement {
  const made = make('button', className, text);
  made.type = 'button';
  made.addEventListener('click', onClick);
  return made;
}
