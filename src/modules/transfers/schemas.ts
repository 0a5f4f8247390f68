import { z } from 'zod';

/** Response and query fragments shared by this module's routes. */
export const DocumentMove = z.object({
  id: z.number().int(), sku: z.string(), from: z.string(), to: z.string(), quantity: z.number(), lot: z.string().nullable(), postedAt: z.string(),
});
export const Note = z.string().trim().min(1).max(500);
export const Search = z.string().trim().max(200).optional().describe('Reference (e.g. TR-000012), SKU or barcode, or words of the note');
