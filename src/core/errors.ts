/**
 * Typed domain errors. Each has a stable code that the HTTP layer puts at the end of the
 * problem+json `type` (RFC 9457); nothing else in the code decides status codes.
 */
export type ErrorCode =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'insufficient-stock'
  | 'unauthorized'
  | 'forbidden'
  | 'idempotency-mismatch'
  | 'rate-limited'
  | 'internal';

export interface FieldError {
  /** Dotted path of the offending field in the request, e.g. `lines.1.quantity`. */
  field: string;
  message: string;
}

const STATUS: Record<ErrorCode, number> = {
  validation: 422,
  'not-found': 404,
  conflict: 409,
  'insufficient-stock': 409,
  unauthorized: 401,
  forbidden: 403,
  'idempotency-mismatch': 422,
  'rate-limited': 429,
  internal: 500,
};

const TITLE: Record<ErrorCode, string> = {
  validation: 'Invalid request',
  'not-found': 'Not found',
  conflict: 'Conflict',
  'insufficient-stock': 'Insufficient stock',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'idempotency-mismatch': 'Idempotency key reused with a different request',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
};

export class DomainError extends Error {
  readonly status: number;
  readonly title: string;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly errors?: FieldError[],
    /** Extra members of the problem document (e.g. the short lines of an order). */
    readonly extensions?: Record<string, unknown>,
    status?: number,
  ) {
    super(message);
    this.status = status ?? STATUS[code];
    this.title = TITLE[code];
  }
}

export const validationError = (message: string, errors?: FieldError[], status?: number) =>
  new DomainError('validation', message, errors, undefined, status);
export const fieldError = (field: string, message: string) =>
  new DomainError('validation', `${field}: ${message}`, [{ field, message }]);
export const notFound = (what: string) => new DomainError('not-found', `${what} not found`);
export const conflict = (message: string, extensions?: Record<string, unknown>) =>
  new DomainError('conflict', message, undefined, extensions);
export const forbidden = (message = 'your role lacks the right for this action') =>
  new DomainError('forbidden', message);
export const unauthorized = (message = 'a valid bearer token is required') =>
  new DomainError('unauthorized', message);

export interface ShortLine {
  line: number;
  sku: string;
  requested: number;
  available: number;
}
export const insufficientStock = (message: string, shortLines?: ShortLine[], errors?: FieldError[]) =>
  new DomainError('insufficient-stock', message, errors, shortLines ? { shortLines } : undefined);
