import { type ActivationCode, parseActivationCode } from './activation-code.js';
import { TokenwardError } from './errors.js';

/**
 * The link in an activation e-mail and its QR code (DESIGN section 6):
 * `tokenward://activate?code=<code>&server=<provisioner URL>`.
 */
export function buildActivationUri(code: string, server: string): string {
  return `tokenward://activate?${new URLSearchParams({ code, server }).toString()}`;
}

export function parseActivationUri(uri: string): { code: ActivationCode; server: string } {
  let url: URL;
  try {
    url = new URL(uri.trim());
  } catch {
    throw new TokenwardError('TW_ACTIVATION_URI_INVALID', { detail: 'not a URL' });
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
