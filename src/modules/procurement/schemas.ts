import { z } from 'zod';
import { DateText } from '../../http/schemas.js';

/** Zod fragments shared by the procurement routes. */
export const Text = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `at most ${max} characters`).regex(/^[^\p{Cc}]*$/u, 'must not contain control characters');
export const Reason = Text(500);
export const Notes = z.string().trim().max(2000, 'at most 2000 characters');
export const Days = z.number().int().min(0).max(3650);
export const LineNo = z.number().int().min(1).max(100_000).describe('Line number (1-based) on the document it refers to');
export const PartnerKind = z.enum(['supplier', 'customer', 'both']);
export const DateFrom = DateText.optional().describe('Created on or after this date (UTC)');
export const DateTo = DateText.optional().describe('Created on or before this date (UTC)');

/** A move of a document, as document views show it. */
export const MoveView = z.object({
  id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable(),
  document: z.string(), unitCost: z.number().nullable(), value: z.number().nullable(), postedAt: z.string(),
});
/** Actions take no body; an empty JSON object is accepted too. */
export const NoBody = z.strictObject({}).optional();

export const pdfResponse = { 200: { description: 'Printable PDF (application/pdf)' } };
