import type { FastifyInstance } from 'fastify';
import type { Store } from '../db/store.js';
import type { TokenService } from '../modules/auth/service.js';
import { VERSION } from '../version.js';

/** The browser app at `/` (the API stays under /api/v1). */
export function registerWebApp(app: FastifyInstance, _deps: { store: Store; tokens: TokenService; apiPrefix: string }): void {
  // Until the web app is served here, the address the server prints leads somewhere useful.
  app.get('/', async (_request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Cangku 仓库</title><h1>Cangku 仓库 ${VERSION}</h1><p>API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> · <a href="/healthz">/healthz</a></p>`),
  );
}
