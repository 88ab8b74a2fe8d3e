import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';
import { bundleBrowserScripts } from '../../http/browser-bundle.js';

/** The phone app's files: TypeScript under app/src, bundled here; the rest as they are. */
const APP = new URL('../../../app/', import.meta.url);
const STATIC = {
  '/app/': ['index.html', 'text/html; charset=utf-8'],
  '/app/app.css': ['app.css', 'text/css; charset=utf-8'],
  '/app/manifest.webmanifest': ['manifest.webmanifest', 'application/manifest+json'],
  '/app/icon.svg': ['icon.svg', 'image/svg+xml'],
} as const;
const SCRIPTS = { '/app/main.js': 'main', '/app/sw.js': 'sw' } as const;

/** No script, style or connection from anywhere but the provisioner itself. */
const CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

/**
 * Bundles the app's TypeScript for the browser (esbuild, in memory, once per server) and reads
 * its static files: what `/app/` serves.
 */
export async function buildAppAssets(): Promise<Map<string, { type: string; body: Buffer }>> {
  const scripts = await bundleBrowserScripts(new URL('src/', APP), Object.values(SCRIPTS));
  const assets = new Map<string, { type: string; body: Buffer }>();
  for (const [path, name] of Object.entries(SCRIPTS)) {
    const body = scripts.get(name) ?? Buffer.alloc(0);
    assets.set(path, { type: 'text/javascript; charset=utf-8', body });
  }
  for (const [path, [file, type]] of Object.entries(STATIC)) {
    assets.set(path, { type, body: await readFile(new URL(`static/${file}`, APP)) });
  }
  return assets;
}

/**
 * Serves the Tokenward Authenticator (the phone app) at /app/ with a CSP of its own origin only;
 * the service worker may control /app/. The shell is revalidated on every load (no-cache), so
 * an update reaches phones at their next start.
 */
export const appAssets: FastifyPluginAsync = async (app) => {
  const assets = await buildAppAssets();
  app.get('/app', async (_request, reply) => reply.redirect('/app/', 308));
  for (const [path, asset] of assets) {
    app.get(path, async (_request, reply) =>
      reply
        .type(asset.type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .send(asset.body),
    );
  }
};
