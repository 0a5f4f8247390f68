import { validationError, type FieldError } from '../../core/errors.js';

/** Collects the field errors of one request and throws them together as one 422. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(field: string, message: string): void {
    this.list.push({ field, message });
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw validationError(this.list.map((e) => `${e.field}: ${e.message}`).join('; '), this.list);
  }
}
