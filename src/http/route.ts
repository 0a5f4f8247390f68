import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z, type ZodType } from 'zod';
import { DomainError } from '../core/errors.js';
import type { Actor, ServiceContext } from '../app/context.js';
import { hideCosts } from '../app/cost-visibility.js';
import type { Store } from '../db/store.js';
import { zodFieldErrors } from './problem.js';

export interface RouteResponse {
  status: number;
  /** JSON, or a Buffer sent as `contentType` (printable PDFs). */
  body: unknown;
  replayed?: boolean;
  contentType?: string;
  /** Suggested file name for a download (Content-Disposition). */
  fileName?: string;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  ctx: ServiceContext;
  request: FastifyRequest;
}

/** One API operation: its HTTP shape (Zod schemas, also the OpenAPI document) and its handler. */
export interface RouteSpec<B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string; // OpenAPI style: /items/{id}
  summary: string;
  tag: string;
  /** Public routes (login) skip the bearer token. */
  public?: boolean;
  body?: ZodType<B>;
  query?: ZodType<Q>;
  params?: ZodType<P>;
  /** Documented success responses: status -> description and optional schema. */
  responses: Record<number, { description: string; schema?: ZodType }>;
  handler(input: RouteInput<B, Q, P>): Promise<RouteResponse>;
}

export function defineRoute<B = undefined, Q = undefined, P = undefined>(spec: RouteSpec<B, Q, P>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Canonical JSON (sorted keys) so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

function parse<T>(schema: ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = zodFieldErrors(result.error, where === 'body' ? undefined : where);
    throw new DomainError('validation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  }
  return result.data;
}

const IDEMPOTENCY_KEY = z.string().min(1).max(255).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');

export function registerRoutes(app: FastifyInstance, store: Store, routes: RouteSpec[], prefix: string): void {
  for (const spec of routes) {
    const url = prefix + spec.path.replace(/\{(\w+)\}/g, ':$1');
    app.route({
      method: spec.method,
      url,
      config: { public: spec.public === true },
      handler: async (request: FastifyRequest, reply: FastifyReply) => {
        const actor = (request as FastifyRequest & { actor?: Actor }).actor;
        const body = parse(spec.body, request.body ?? (spec.body ? {} : undefined), 'body');
        const query = parse(spec.query, request.query ?? {}, 'query');
        const params = parse(spec.params, request.params ?? {}, 'params');
        const ctx: ServiceContext = { store, actor: actor ?? { orgId: 0, userId: 0, username: '', role: '', requestId: request.id } };
        const key = request.headers['idempotency-key'];
        if (spec.method === 'POST' && key !== undefined) {
          const parsedKey = parse(IDEMPOTENCY_KEY, Array.isArray(key) ? key.join(',') : key, 'Idempotency-Key');
          const hash = createHash('sha256').update(`${spec.method} ${request.url.split('?')[0]}\n${canonical(request.body)}`).digest('hex');
          ctx.idempotency = { key: parsedKey, hash };
        }
        const result = await spec.handler({ body, query, params, ctx, request });
        if (result.replayed) reply.header('Idempotent-Replayed', 'true');
        if (result.contentType) reply.type(result.contentType);
        if (result.fileName) reply.header('Content-Disposition', `inline; filename="${result.fileName.replace(/[^\w.-]/g, '_')}"`);
        reply.code(result.status);
        if (result.status === 204 || result.body === null) return reply.send();
        // PDFs hide costs in their printers, streamed exports page by page; every JSON body is passed through hideCosts here.
        return reply.send(Buffer.isBuffer(result.body) || result.body instanceof Readable ? result.body : hideCosts(result.body, ctx.actor));
      },
    });
  }
}
