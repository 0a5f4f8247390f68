import { existsSync, statSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import type { Store } from '../db/store.js';
import type { TokenService } from '../modules/auth/service.js';
import { VERSION } from '../version.js';
import { registerLiveEvents } from './live.js';

/** Where `npm run build` puts the web app (web/dist); CANGKU_WEB_DIST points elsewhere. */
export const WEB_DIST = process.env.CANGKU_WEB_DIST ?? fileURLToPath(new URL('../../web/dist/', import.meta.url));

const notBuilt = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Cangku 仓库</title>
<h1>Cangku 仓库 ${VERSION}</h1><p>The web app is not built yet: run <code>npm run build</code> (npm start does it for you).</p>
<p>API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> · <a href="/healthz">/healthz</a></p>`;

/** A file inside the build directory for a URL path, or undefined (never outside it). */
function builtFile(urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const relative = normalize(decoded).replace(/^([/\\])+/, '');
  if (relative === '' || relative.startsWith('..')) return undefined;
  const file = join(WEB_DIST, relative);
  if (!file.startsWith(normalize(WEB_DIST.endsWith(sep) ? WEB_DIST : WEB_DIST + sep))) return undefined;
  try {
    return statSync(file).isFile() ? relative : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The browser app at `/` (the API stays under /api/v1): files of web/dist, and index.html for
 * every other GET outside /api so client-side routes (/items/12, /m/scan) survive a reload.
 * Unknown /api paths keep answering the API's 404 problem document.
 */
export function registerWebApp(app: FastifyInstance, deps: { store: Store; tokens: TokenService; apiPrefix: string }): void {
  registerLiveEvents(app, { store: deps.store, tokens: deps.tokens, apiPrefix: deps.apiPrefix });
  void app.register(fastifyStatic, { serve: false, root: WEB_DIST, decorateReply: true });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (path === '/api' || path.startsWith('/api/')) return reply.callNotFound();
    const looksLikeFile = /\.[a-z0-9]{1,8}$/i.test(path);
    if (!existsSync(join(WEB_DIST, 'index.html'))) return looksLikeFile ? reply.callNotFound() : reply.type('text/html; charset=utf-8').send(notBuilt);
    const file = builtFile(path);
    // Vite names built assets by content hash: they never change under the same name.
    if (file?.startsWith('assets/')) return reply.sendFile(file, WEB_DIST, { maxAge: '365d', immutable: true });
    // Anything else is checked with the server on every use: index.html names this build's assets,
    // and the service worker (/sw.js, from web/public; JavaScript by its extension; at the root so
    // its scope is the whole app) must be seen new as soon as a build replaces it.
    if (!file && looksLikeFile) return reply.callNotFound(); // a missing file, not an app route
    reply.header('cache-control', 'no-cache');
    return reply.sendFile(file ?? 'index.html', WEB_DIST, { cacheControl: false });
  };
  // `public`: the browser app loads without a token; it logs in through the API.
  app.route({ method: 'GET', url: '/', config: { public: true }, handler: serve });
  app.route({ method: 'GET', url: '/*', config: { public: true }, handler: serve });
}
