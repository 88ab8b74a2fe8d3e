import { readFile } from 'node:fs/promises';
import type { FastifyPluginAsync } from 'fastify';

/** The console's page, script and style: local files, no CDN. */
const ASSETS = new URL('../../../console/', import.meta.url);
const ASSET_TYPES = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;

/** Serves the console's files with a CSP that allows only themselves. */
export const consoleAssets: FastifyPluginAsync = async (app) => {
  for (const [file, type] of Object.entries(ASSET_TYPES)) {
    const body = await readFile(new URL(file, ASSETS));
    const path = file === 'index.html' ? '/' : `/${file}`;
    app.get(path, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        )
        .send(body),
    );
  }
};
