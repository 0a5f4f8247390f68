/**
 * The one way the browser talks to the API: base /api/v1, the session's bearer token, JSON in and
 * out, problem+json errors as a typed ApiError (with the field errors the forms show), and an
 * optional Idempotency-Key for POSTs (retrying a command never does it twice).
 */
import { getToken, onUnauthorized } from '../auth/session';

export const API_BASE = '/api/v1';

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  /** The stable code at the end of the problem type: validation, not-found, conflict, insufficient-stock, ... */
  readonly code: string;
  readonly problem: Problem;
  readonly fieldErrors: FieldError[];

  constructor(problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${problem.status}`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.type.split(':').pop() ?? 'error';
    this.problem = problem;
    this.fieldErrors = Array.isArray(problem.errors) ? problem.errors : [];
  }

  /** Field errors by path (`lines.0.quantity`), first message per field. */
  byField(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.fieldErrors) out[e.field] ??= e.message;
    return out;
  }
}

export interface RequestOptions {
  /** Query parameters; undefined, null and '' are left out. */
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** Sent as Idempotency-Key (POST). `true` makes a fresh random key. */
  idempotencyKey?: string | true;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Do not drop the session on a 401 (the login call itself). */
  noAuthRedirect?: boolean;
}

export function newIdempotencyKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path.startsWith('/') ? path : `/${path}`}${search ? `?${search}` : ''}`;
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json', ...authHeaders(), ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey === true ? newIdempotencyKey() : options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ type: 'urn:cangku:problem:network', title: 'Network error', status: 0, detail: (error as Error).message });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  if (!response.ok) {
    const problem: Problem =
      body && typeof body === 'object' && 'status' in body
        ? (body as Problem)
        : { type: `urn:cangku:problem:http-${response.status}`, title: response.statusText, status: response.status, detail: typeof body === 'string' ? body : undefined };
    // The session that sent this token ends, not another company's that became current meanwhile.
    if (response.status === 401 && !options.noAuthRedirect) onUnauthorized(headers.authorization);
    throw new ApiError(problem);
  }
  return body as T;
}

export const api = {
  get: <T = unknown>(path: string, query?: RequestOptions['query'], options: Omit<RequestOptions, 'query'> = {}) => request<T>('GET', path, { ...options, query }),
  post: <T = unknown>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('POST', path, { ...options, body }),
  patch: <T = unknown>(path: string, body?: unknown, options: Omit<RequestOptions, 'body'> = {}) => request<T>('PATCH', path, { ...options, body }),
  delete: <T = unknown>(path: string, options: RequestOptions = {}) => request<T>('DELETE', path, options),
};

/** A page of a keyset-paginated list. */
export interface Page<T> {
  items: T[];
  next?: string;
  total?: number;
}
