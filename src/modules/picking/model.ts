import { DomainError, type FieldError } from '../../core/errors.js';

/** Document types of picking, for postings, audit targets and references (WV-000001, PK-000001). */
export const PICK_WAVE = 'pick-wave';
export const PICK_TASK = 'pick-task';
export const COUNT_SUGGESTION = 'count-suggestion';

/** Order statuses whose reservations may be picked (the same as may ship). */
export const PICKABLE_ORDER_STATUSES = ['confirmed', 'partially_shipped'] as const;

/** How many orders "all confirmed orders" takes into one wave when no orders are named. */
export const DEFAULT_WAVE_ORDERS = 50;

/** 422 with every field problem at once. */
export function fieldErrors(errors: FieldError[]): DomainError {
  return new DomainError('validation', errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

/** 409 that still names the field the picker should look at. */
export function conflictAt(field: string, message: string): DomainError {
  return new DomainError('conflict', `${field}: ${message}`, [{ field, message }]);
}
