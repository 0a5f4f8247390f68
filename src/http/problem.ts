import type { ZodError } from 'zod';
import { DomainError, type FieldError } from '../core/errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** `type` ends in the stable code, as the contract promises. */
export const problemType = (code: string) => `urn:cangku:problem:${code}`;

export function domainProblem(error: DomainError): Problem {
  // Extensions first: they may never override the members the contract defines.
  return {
    ...(error.extensions ?? {}),
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  const field = (path: PropertyKey[]) => [prefix, ...path.map(String)].filter((p) => p !== undefined && p !== '').join('.') || '(body)';
  return error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ field: field([...issue.path, key]), message: 'unknown field' }))
      : [{ field: field(issue.path), message: issue.message }],
  );
}

export function validationProblem(errors: FieldError[], status = 422): Problem {
  return {
    type: problemType('validation'),
    title: 'Invalid request',
    status,
    detail: errors.map((e) => `${e.field}: ${e.message}`).join('; '),
    errors,
  };
}
