import QRCode from 'qrcode';
import { type DeviceRecord, ProvisionerError, sendMobile } from './device.js';
import { button, element, make, say } from './page.js';
import type { TokenRecord } from './tokens.js';

/**
 * Moves a token to a new phone (MobileTransfer): shows the transfer link and its QR code for
 * the new phone's camera. The new phone activates with it; this one then shows the token as
 * moved (at its next poll).
 */
export async function showTransfer(
  db: IDBDatabase,
  device: DeviceRecord,
  token: TokenRecord,
): Promise<void> {
  const sure = confirm(
    `Move ${token.label} to a new phone? You get a link and a QR code for the new phone. Once the new phone has it, this phone stops making codes for ${token.label}.`,
  );
  if (!sure) return;
  let code: string;
  let expires: number;
  try {
    const answer = await sendMobile(db, device, 'MobileTransfer', { token: token.serial });
    if (answer.transfer_code === undefined)
      throw new ProvisionerError(
        'TW_PROTOCOL_MALFORMED',
        'The token server sent no transfer code.',
      );
    code = answer.transfer_code;
    expires = (answer.expires ?? 0) * 1000;
  } catch (error) {
    say(
      error instanceof ProvisionerError
        ? error.message
        : 'The token server could not be reached. Check that you are online, then try again.',
      'error',
    );
    return;
  }
  const link = `${location.origin}/app/#activate=${code}`;
  const dialog = element<HTMLDialogElement>('transfer');
  const qr = make('img', 'qr');
  qr.alt = `QR code of the link that moves ${token.label} to a new phone`;
  qr.src = `data:image/svg+xml;base64,${btoa(await QRCode.toString(link, { type: 'svg', margin: 2 }))}`;
  const linkField = make('input', 'transfer-link');
  linkField.id = 'transfer-link';
  linkField.readOnly = true;
  linkField.value = link;
  const linkLabel = make('label', '', 'Transfer link');
  linkLabel.htmlFor = linkField.id;
  const until = new Date(expires).toLocaleString(undefined, {
    timeStyle: 'short',
    dateStyle: 'medium',
  });
  dialog.replaceChildren(
    Object.assign(make('h2', '', `Move ${token.label}`), { id: 'transfer-heading' }),
    make(
      'p',
      '',
      `On the new phone, scan this QR code with the camera or open the link. It works once, until ${until}.`,
    ),
    qr,
    linkLabel,
    linkField,
    button('copy', 'Copy the link', () => {
      void navigator.clipboard?.writeText(link).then(() => say('Transfer link copied.'));
    }),
    button('close', 'Close', () => dialog.close()),
  );
  dialog.showModal();
}
