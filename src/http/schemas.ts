import { z } from 'zod';

/** Shared request fragments: one definition of what a valid code, SKU or quantity looks like. */
const printable = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');

export const Sku = printable(64).describe('Stock keeping unit, unique per company');
export const Name = printable(200);
export const Code = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(32, 'at most 32 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - (starting with a letter or digit)');
export const LocationCode = printable(200);
export const LotCode = printable(64);
export const Unit = printable(20);
export const DateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD');
/** A JSON number; its decimals are checked against the item's unit precision by the service. */
export const Quantity = z.number().finite().describe('Exact to the unit precision of the item; more decimals are rejected with 422');
export const Money = z.number().finite().min(0).describe('Up to 6 decimals');

export const IdParams = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
export const Limit = z.coerce.number().int().min(1).max(1000).default(100);
export const Cursor = z
  .string()
  .regex(/^\d{1,15}$/, 'must be the `next` value of an earlier page')
  .transform(Number)
  .optional();
