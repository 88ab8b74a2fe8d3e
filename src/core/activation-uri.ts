import { type ActivationCode, parseActivationCode } from './activation-code.js';
import { TokenwardError } from './errors.js';

/**
 * The link in an activation e-mail and its QR code: the phone app on the provisioner,
 * `https://<provisioner>/app/#activate=<code>`. The code is in the fragment, which browsers
 * never send, so it reaches no server log; a phone camera opens it in the browser.
 */
export function buildActivationUri(code: string, server: string): string {
  return `${server.replace(/\/+$/, '')}/app/#activate=${code}`;
}

/**
 * Reads an activation link: the app link above (the provisioner is what precedes `/app/`), or
 * the older `tokenward://activate?code=<code>&server=<provisioner URL>`.
 */
export function parseActivationUri(uri: string): { code: ActivationCode; server: string } {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new TokenwardError('TW_ACTIVATION_URI_INVALID', { detail: 'not a URL' });
  }
  if (url.protocol === 'http:' || url.protocol === 'https:') {
    const code = /^#activate=([A-Za-z2-7 -]+)$/.exec(decodeURIComponent(url.hash))?.[1];
    const at = url.pathname.lastIndexOf('/app/');
    if (code === undefined || at < 0) {
      throw new TokenwardError('TW_ACTIVATION_URI_INVALID', { detail: 'no /app/#activate=' });
    }
    return { code: parseActivationCode(code), server: `${url.origin}${url.pathname.slice(0, at)}` };
  }
  const server = url.searchParams.get('server') ?? '';
  if (
    url.protocol !== 'tokenward:' ||
    url.host !== 'activate' ||
    !/^https?:\/\/[^\s]+$/.test(server)
  ) {
    throw new TokenwardError('TW_ACTIVATION_URI_INVALID', {
      detail: 'not tokenward://activate with a server',
    });
  }
  return { code: parseActivationCode(url.searchParams.get('code') ?? ''), server };
}
