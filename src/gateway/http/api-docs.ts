import type { FastifyPluginAsync } from 'fastify';

export const OPENAPI_INFO = {
  info: {
    title: 'Tokenward gateway HTTP API',
    description:
      'The login API for web applications (password, then a code or a push for the session the challenge named) and the admin console API. Every refusal of a login is 401 TW_AUTH_REJECTED; see docs/auth.md.',
    version: '1',
  },
} as const;

interface OpenApiDocument {
  paths?: Record<string, Record<string, { summary?: string; description?: string }>>;
}

/**
 * `/docs`: the OpenAPI description of the gateway's HTTP API as JSON (`/docs/openapi.json`) and
 * as a plain page listing every operation (no scripts, nothing from a CDN).
 */
export const apiDocsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/docs/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
    const document = app.swagger() as OpenApiDocument;
    const rows = Object.entries(document.paths ?? {}).flatMap(([path, operations]) =>
      Object.entries(operations).map(
        ([method, operation]) =>
          `<tr><td><code>${method.toUpperCase()}</code></td><td><code>${escapeHtml(path)}</code></td><td>${escapeHtml(operation.summary ?? operation.description ?? '')}</td></tr>`,
      ),
    );
    return reply
      .type('text/html; charset=utf-8')
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${OPENAPI_INFO.info.title}</title></head><body><h1>${OPENAPI_INFO.info.title}</h1><p>${escapeHtml(OPENAPI_INFO.info.description)}</p><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3).</p><table><thead><tr><th>Method</th><th>Path</th><th>What it does</th></tr></thead><tbody>${rows.join('')}</tbody></table></body></html>`,
      );
  });
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
