import { z } from 'zod';
import { defineRoute } from '../../http/route.js';
import { Code, Cursor, IdParams, Limit, Name } from '../../http/schemas.js';
import { createPartner, getPartner, listPartners, updatePartner, PARTNER_SORTS } from './partners-service.js';
import { Days, PartnerKind, Text } from './schemas.js';

const Contact = z.strictObject({
  name: Name,
  phone: z.string().trim().regex(/^\+?[0-9 ()./-]{3,40}$/, 'digits, spaces and + ( ) . / - (3-40 characters)').optional(),
  email: z.email('must be an e-mail address').max(254).optional(),
  role: Text(100).optional(),
});
const Address = z.strictObject({
  label: Text(100).optional(),
  line1: Text(200),
  line2: Text(200).optional(),
  city: Text(100).optional(),
  region: Text(100).optional(),
  postalCode: Text(20).optional(),
  country: Text(100).optional(),
});
const Contacts = z.array(Contact).max(50, 'at most 50 contacts');
const Addresses = z.array(Address).max(20, 'at most 20 addresses');

const PartnerView = z.object({
  id: z.number().int(), code: z.string(), name: z.string(), kind: PartnerKind,
  contacts: z.array(Contact), addresses: z.array(Address),
  paymentTermsDays: z.number().int(), leadTimeDays: z.number().int(), minShelfLifeDays: z.number().int().nullable(), archived: z.boolean(), createdAt: z.string(), updatedAt: z.string(),
});
const MinShelfLifeDays = z.number().int().min(0).max(3650).nullable().describe('Customers: minimum remaining shelf life (days) of lots reserved for them; null for none');

export const partnerRoutes = [
  defineRoute({
    method: 'POST', path: '/partners', tag: 'procurement', summary: 'Create a supplier or customer (409 for an existing code)',
    body: z.strictObject({
      code: Code.describe('Unique per company'), name: Name, kind: PartnerKind,
      contacts: Contacts.optional(), addresses: Addresses.optional(),
      paymentTermsDays: Days.optional().describe('Days to pay invoices (default 0)'),
      leadTimeDays: Days.optional().describe('Usual days from order to delivery (default 0)'),
      minShelfLifeDays: MinShelfLifeDays.optional(),
    }),
    responses: { 201: { description: 'Created', schema: PartnerView } },
    handler: ({ ctx, body }) => createPartner(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/partners', tag: 'procurement', summary: 'List partners; q searches code and name; kind=supplier includes kind both',
    query: z
      .strictObject({
        q: z.string().trim().max(100).optional(), kind: PartnerKind.optional(), includeArchived: z.enum(['true', 'false']).optional(), after: Cursor, limit: Limit,
        sort: z.enum(PARTNER_SORTS).optional().describe('Sort by a field (`-` for descending); pages by `offset` instead of `after`'),
        offset: z.coerce.number().int().min(0).max(10_000_000).optional(),
        total: z.enum(['true', 'false']).optional().describe('`true`: also answer `total`, the number of matches'),
      })
      .refine((q) => q.after === undefined || (q.sort === undefined && q.offset === undefined), { path: ['after'], message: 'after pages by id; use offset with sort' }),
    responses: { 200: { description: 'A page of partners', schema: z.object({ items: z.array(PartnerView), next: z.string().optional(), total: z.number().int().optional() }) } },
    handler: async ({ ctx, query }) => ({
      status: 200,
      body: await listPartners(ctx, {
        q: query.q || undefined, kind: query.kind, includeArchived: query.includeArchived === 'true', after: query.after, limit: query.limit,
        sort: query.sort, offset: query.offset, withTotal: query.total === 'true',
      }),
    }),
  }),
  defineRoute({
    method: 'GET', path: '/partners/{id}', tag: 'procurement', summary: 'Get a partner', params: IdParams,
    responses: { 200: { description: 'The partner', schema: PartnerView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getPartner(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/partners/{id}', tag: 'procurement', summary: 'Update a partner; `archived: true` archives it (no new documents name it)', params: IdParams,
    body: z.strictObject({
      name: Name.optional(), kind: PartnerKind.optional(), contacts: Contacts.optional(), addresses: Addresses.optional(),
      paymentTermsDays: Days.optional(), leadTimeDays: Days.optional(), minShelfLifeDays: MinShelfLifeDays.optional(), archived: z.boolean().optional(),
    }),
    responses: { 200: { description: 'Updated', schema: PartnerView } },
    handler: ({ ctx, params, body }) => updatePartner(ctx, params.id, body),
  }),
];
