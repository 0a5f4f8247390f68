import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { DomainError, unauthorized } from '../core/errors.js';
import type { Store } from '../db/store.js';
import type { Actor } from '../app/context.js';
import { TokenService } from '../modules/auth/service.js';
import { authRoutes } from '../modules/auth/routes.js';
import { itemRoutes } from '../modules/items/routes.js';
import { warehouseRoutes } from '../modules/warehouses/routes.js';
import { adjustmentRoutes } from '../modules/adjustments/routes.js';
import { salesRoutes } from '../modules/sales/routes.js';
import { stockRoutes } from '../modules/stock/routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { settingsRoutes } from '../modules/settings/routes.js';
import { procurementRoutes } from '../modules/procurement/routes.js';
import { transfersRoutes } from '../modules/transfers/routes.js';
import { countsRoutes } from '../modules/counts/routes.js';
import { atpRoutes } from '../modules/stock/atp-routes.js';
import { returnsRoutes } from '../modules/returns/routes.js';
import { shippingRoutes } from '../modules/shipping/routes.js';
import { logisticsRoutes } from '../modules/logistics/routes.js';
import { pickingRoutes } from '../modules/picking/routes.js';
import { webhookRoutes } from '../modules/webhooks/routes.js';
import { eventRoutes } from '../modules/events/routes.js';
import { importRoutes } from '../modules/imports/routes.js';
import { registerImportUploads } from '../modules/imports/upload.js';
import { exportRoutes } from '../modules/exports/routes.js';
import { userRoutes } from '../modules/users/routes.js';
import { approvalRoutes } from '../modules/approvals/routes.js';
import { labelRoutes } from '../modules/labels/routes.js';
import { dashboardRoutes } from '../modules/dashboard/routes.js';
import { registerWebApp } from './web-app.js';
import { domainProblem, problemType, type Problem } from './problem.js';
import { registerRoutes, type RouteSpec } from './route.js';
import { openApiDocument } from './openapi.js';
import { registerRateLimits } from './rate-limits.js';
import { VERSION } from '../version.js';

export const API_PREFIX = '/api/v1';

export interface ServerOptions {
  store: Store;
  /** pino level; 'silent' in tests. */
  logLevel?: string;
  /** Close kept-alive client connections at once on close (tests), instead of waiting for them. */
  forceCloseConnections?: boolean;
}

export interface Server {
  app: FastifyInstance;
  tokens: TokenService;
  routes: RouteSpec[];
}

/** Fastify's own 4xx errors (bad JSON, wrong media type, too large) as problem documents. */
function frameworkProblem(error: { statusCode?: number; code?: string; message: string }): Problem {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  return { type: problemType('validation'), title: 'Invalid request', status, detail: error.message };
}

export function buildServer(options: ServerOptions): Server {
  const { store } = options;
  const app = Fastify({
    logger: { level: options.logLevel ?? process.env.LOG_LEVEL ?? 'info' },
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 4 * 1024 * 1024,
    ...(options.forceCloseConnections ? { forceCloseConnections: true } : {}),
  });
  const tokens = new TokenService(store);
  const checkRateLimit = registerRateLimits(app, tokens.config);
  app.addHook('onClose', async () => tokens.dispose());
  const routes: RouteSpec[] = [
    ...authRoutes(tokens), ...itemRoutes, ...warehouseRoutes, ...adjustmentRoutes, ...salesRoutes, ...stockRoutes, ...auditRoutes,
    ...settingsRoutes, ...procurementRoutes, ...transfersRoutes, ...countsRoutes, ...atpRoutes, ...returnsRoutes, ...shippingRoutes, ...logisticsRoutes,
    ...pickingRoutes, ...webhookRoutes, ...eventRoutes, ...importRoutes, ...userRoutes, ...approvalRoutes, ...labelRoutes,
    ...dashboardRoutes,
  ];

  // An empty body with a JSON content type (common for action calls like /confirm) is "no body".
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new DomainError('validation', 'the request body is not valid JSON', undefined, undefined, 400), undefined);
    }
  });

  app.addHook('onRequest', async (request: FastifyRequest & { actor?: Actor }) => {
    if (!request.url.startsWith(API_PREFIX + '/')) return;
    if (request.routeOptions.url === undefined) return; // unknown route: answered 404 below
    const isPublic = (request.routeOptions.config as { public?: boolean } | undefined)?.public === true;
    if (isPublic && request.routeOptions.url !== `${API_PREFIX}/auth/login`) return;
    await checkRateLimit(request, isPublic);
    if (isPublic) return;
    const header = request.headers.authorization;
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    const actor = token ? await tokens.resolve(token) : undefined;
    if (!actor) throw unauthorized();
    request.actor = { ...actor, requestId: request.id, ip: request.ip };
  });

  app.setErrorHandler((error, request, reply) => {
    let problem: Problem;
    if (error instanceof DomainError) problem = domainProblem(error);
    else if (typeof (error as { statusCode?: number }).statusCode === 'number' && (error as { statusCode: number }).statusCode < 500) problem = frameworkProblem(error as { statusCode: number; message: string });
    else {
      request.log.error({ err: error }, 'unhandled error');
      problem = { type: problemType('internal'), title: 'Internal error', status: 500, detail: `unexpected error; request id ${request.id}` };
    }
    if (problem.status === 401) reply.header('WWW-Authenticate', 'Bearer');
    if (problem.status === 429 && typeof problem.retryAfter === 'number') reply.header('Retry-After', String(problem.retryAfter));
    reply.code(problem.status).type('application/problem+json').send(problem);
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .type('application/problem+json')
      .send({ type: problemType('not-found'), title: 'Not found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}` } satisfies Problem);
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  registerWebApp(app, { store, tokens, apiPrefix: API_PREFIX });
  routes.push(...exportRoutes(routes));
  const document = openApiDocument(routes, API_PREFIX, VERSION);
  app.get(`${API_PREFIX}/openapi.json`, { config: { public: true } }, async () => document);
  registerImportUploads(app, API_PREFIX);
  registerRoutes(app, store, routes, API_PREFIX);
  return { app, tokens, routes };
}
