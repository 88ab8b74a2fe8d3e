import { TokenwardError } from './errors.js';

/**
 * An http:// or https:// URL as typed for `flag` (a provisioner, a webhook), or TW_URL_INVALID
 * saying what a good one looks like. Nothing else can be reached by our clients.
 */
export function parseHttpUrl(value: string, flag: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (
    url === undefined ||
    (url.protocol !== 'http:' && url.protocol !== 'https:') ||
    url.host === ''
  ) {
    throw new TokenwardError('TW_URL_INVALID', {
      message: `${flag} takes an http:// or https:// URL, e.g. https://prov.example.com:8440 (got "${value.slice(0, 100)}").`,
      data: { field: flag },
    });
  }
  return value;
}
