import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { bundleBrowserScripts } from '../../http/browser-bundle.js';

/** The console's files: TypeScript under console/src bundled at start, the rest as they are. */
const CONSOLE = new URL('../../../console/', import.meta.url);
const STATIC = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/console.css': ['console.css', 'text/css; charset=utf-8'],
  '/favicon.svg': ['favicon.svg', 'image/svg+xml'],
} as const;

/** Nothing from anywhere but the gateway itself; the QR image of a desk activation is data:. */
export const CONSOLE_CSP =
  "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Serves the console's page, bundle, style and icon with a CSP that allows only themselves. */
export const consoleAssets: FastifyPluginAsync = async (app) => {
  const assets = new Map<string, { type: string; body: Buffer }>();
  const [script] = (await bundleBrowserScripts(new URL('src/', CONSOLE), ['main'])).values();
  assets.set('/console.js', {
    type: 'text/javascript; charset=utf-8',
    body: script ?? Buffer.alloc(0),
  });
  for (const [path, [file, type]] of Object.entries(STATIC)) {
    assets.set(path, { type, body: await readFile(new URL(file, CONSOLE)) });
  }
  for (const [path, asset] of assets) {
    app.get(path, { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type(asset.type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(asset.body),
    );
  }
};
