import { z, type ZodType } from 'zod';
import { hidesCost } from '../app/cost-visibility.js';
import type { RouteSpec } from './route.js';

type Schema = Record<string, unknown>;

const COSTS_HIDDEN = 'null when the caller may not see costs (no report.view_cost)';
const NULLABLE_TYPES = new Set(['number', 'integer', 'string']);

/**
 * Responses pass through hideCosts (src/app/cost-visibility.ts), which turns the numbers and numeric
 * text under every money key into null for roles without report.view_cost. Say so in the response
 * schemas, by the same rule (hidesCost), so generated clients accept the null; new routes get it for free.
 * OpenAPI 3.1 (JSON Schema 2020-12): nullable is `type: [..., 'null']`.
 * Zod inlines reused schemas, so there are no $refs to follow (Problem, the only one, carries no money).
 * Record values (additionalProperties) are keyed by data, not by name, and are left as they are.
 */
function withHiddenCosts(schema: unknown, hidden: boolean): unknown {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return schema;
  const out: Schema = { ...(schema as Schema) };
  if (out.properties && typeof out.properties === 'object') {
    const properties: Schema = {};
    const listPage = ((out.properties as Schema).items as Schema | undefined)?.type === 'array';
    for (const [key, value] of Object.entries(out.properties as Schema)) {
      const childHidden = hidesCost(key, hidden, listPage);
      const next = withHiddenCosts(value, childHidden) as Schema;
      properties[key] = childHidden && !hidden && typeof next === 'object' ? note(next) : next;
    }
    out.properties = properties;
  }
  if (out.items) out.items = withHiddenCosts(out.items, hidden);
  if (Array.isArray(out.prefixItems)) out.prefixItems = out.prefixItems.map((s) => withHiddenCosts(s, hidden));
  if (Array.isArray(out.anyOf)) out.anyOf = out.anyOf.map((s) => withHiddenCosts(s, hidden));
  if (Array.isArray(out.allOf)) out.allOf = out.allOf.map((s) => withHiddenCosts(s, hidden));
  if (Array.isArray(out.oneOf)) {
    // null must match exactly one branch: hide inside the branches, then add one null branch.
    const branches = out.oneOf.map((s) => withHiddenCosts(s, hidden));
    const scalar = hidden && (out.oneOf as Schema[]).some((s) => scalarLike(s));
    out.oneOf = scalar ? [...branches.map((s) => withoutNull(s as Schema)), { type: 'null' }] : branches;
  }
  return hidden ? nullable(out) : out;
}

/** A schema whose values hideCosts may null: numbers, integers, strings (numeric text), or enums/consts of them. */
function scalarLike(s: Schema): boolean {
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.some((t) => NULLABLE_TYPES.has(t as string))) return true;
  const values = Array.isArray(s.enum) ? s.enum : 'const' in s ? [s.const] : [];
  return values.some((v) => typeof v === 'number' || typeof v === 'string');
}

function nullable(s: Schema): Schema {
  if (!scalarLike(s) || s.oneOf) return s;
  const out = { ...s };
  if (out.type !== undefined) {
    const types = Array.isArray(out.type) ? out.type : [out.type];
    if (!types.includes('null')) out.type = [...types, 'null'];
  }
  if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  if ('const' in out && out.const !== null) {
    out.enum = [out.const, null];
    delete out.const;
  }
  return out;
}

function withoutNull(s: Schema): Schema {
  const out = { ...s };
  if (Array.isArray(out.type)) {
    const types = out.type.filter((t) => t !== 'null');
    out.type = types.length === 1 ? types[0] : types;
  }
  if (Array.isArray(out.enum)) out.enum = out.enum.filter((v) => v !== null);
  return out;
}

function note(s: Schema): Schema {
  const text = scalarLike(s) ? COSTS_HIDDEN : `numbers inside are ${COSTS_HIDDEN}`;
  return { ...s, description: typeof s.description === 'string' && s.description ? `${s.description}; ${text}` : text.charAt(0).toUpperCase() + text.slice(1) };
}

function jsonSchema(schema: ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: ZodType | undefined, location: 'query' | 'path') {
  if (!schema) return [];
  const json = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: location,
    required: location === 'path' || (json.required ?? []).includes(name),
    schema: s,
  }));
}

const PROBLEM = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string', description: 'ends in a stable code: validation, not-found, conflict, insufficient-stock, unauthorized, forbidden, idempotency-mismatch' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

/** The OpenAPI 3.1 document, generated from the same Zod schemas that validate requests. */
export function openApiDocument(routes: RouteSpec[], prefix: string, version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const path = prefix + spec.path;
    const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } });
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(spec.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: withHiddenCosts(jsonSchema(r.schema), false) } } } : { description: r.description };
    }
    responses['4XX'] = problem('Client error (problem+json with a stable code in `type`)');
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = {
      summary: spec.summary,
      tags: [spec.tag],
      operationId: `${spec.method.toLowerCase()}${spec.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      ...(spec.public ? { security: [] } : {}),
      parameters: [
        ...parameters(spec.params, 'path'),
        ...parameters(spec.query, 'query'),
        ...(spec.method === 'POST' ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'Same key and body: the first response again, no second effect. Same key, other body: 422.' }] : []),
      ],
      ...(spec.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(spec.body) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Cangku API', version, description: 'One stock ledger for the whole company. Quantities are JSON numbers, exact to the unit precision.' },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: PROBLEM },
    },
    paths: {
      '/healthz': { get: { summary: 'Liveness', security: [], responses: { '200': { description: '{"status":"ok"}' } } } },
      ...paths,
    },
  };
}
