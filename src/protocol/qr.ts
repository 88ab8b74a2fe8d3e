import { readFile } from 'node:fs/promises';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { TokenwardError } from '../core/errors.js';

// jsqr is CommonJS with `exports.default`; under NodeNext its default import is the exports
// object, whose `default` is the decoder.
const jsQR = jsQRModule.default;

/** Reads the text of the QR code in a PNG image (the activation e-mail's attachment). */
export async function decodeQrPng(file: string): Promise<string> {
  let image: PNG;
  try {
    image = PNG.sync.read(await readFile(file));
  } catch (error) {
    throw new TokenwardError('TW_QR_UNREADABLE', {
      message: `${file} is not a readable PNG image.`,
      cause: error,
    });
  }
  const found = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (found === null) throw new TokenwardError('TW_QR_UNREADABLE');
  return found.data;
}

/** A QR code drawn with block characters, for a terminal. */
export function terminalQr(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'terminal', small: true, errorCorrectionLevel: 'M' });
}

/** A QR code as a PNG image (for e-mails, and for tests that scan one). */
export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}
