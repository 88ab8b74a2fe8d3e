import { byId } from './dom.js';

/**
 * Asks before a destructive action, saying what will happen in words ("alice's phone will stop
 * working"); resolves true only on the named button. Escape and Cancel say no.
 */
export function confirmAction(
  title: string,
  consequence: string,
  action: string,
): Promise<boolean> {
  const dialog = byId<HTMLDialogElement>('confirm');
  byId('confirm-title').textContent = title;
  byId('confirm-text').textContent = consequence;
  byId('confirm-ok').textContent = action;
  const opener = document.activeElement as HTMLElement | null;
  return new Promise((resolve) => {
    dialog.addEventListener(
      'close',
      () => {
        resolve(dialog.returnValue === 'ok');
        opener?.focus();
      },
      { once: true },
    );
    dialog.returnValue = 'cancel';
    dialog.showModal();
    byId('confirm-cancel').focus();
  });
}

/** Whether a dialog is open (the live refresh waits for it). */
export const dialogOpen = () => byId<HTMLDialogElement>('confirm').open;
