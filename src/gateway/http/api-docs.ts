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
          `<tr><td data-label="Method"><code>${method.toUpperCase()}</code></td><td data-label="Path"><code>${escapeHtml(path)}</code></td><td data-label="What it does">${escapeHtml(operation.summary ?? operation.description ?? '')}</td></tr>`,
      ),
    );
    // Styled by the console's sheet (same origin, nothing else allowed by its CSP).
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'self'; frame-ancestors 'none'")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${OPENAPI_INFO.info.title}</title><link rel="icon" href="/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/console.css"></head><body><header><p class="brand"><a href="/">Tokenward</a></p></header><main class="docs"><h1>${OPENAPI_INFO.info.title}</h1><p class="intro">${escapeHtml(OPENAPI_INFO.info.description)}</p><p>Machine-readable: <a href="/docs/openapi.json">/docs/openapi.json</a> (OpenAPI 3).</p><div class="scroll"><table><caption class="visually-hidden">Operations</caption><thead><tr><th scope="col">Method</th><th scope="col">Path</th><th scope="col">What it does</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></main></body></html>`,
      );
  });
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
