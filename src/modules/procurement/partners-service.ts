import type { Selectable } from 'kysely';
import { conflict, notFound, validationError } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { PartnerKind, PartnersTable } from '../../db/tables/procurement.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { contains } from './common.js';
import { pageList } from '../../db/paging.js';

export interface Contact {
  name: string;
  phone?: string;
  email?: string;
  role?: string;
}

export interface Address {
  label?: string;
  line1: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

export interface Partner {
  id: number;
  code: string;
  name: string;
  kind: PartnerKind;
  contacts: Contact[];
  addresses: Address[];
  paymentTermsDays: number;
  leadTimeDays: number;
  /** Minimum remaining shelf life (days) a customer accepts on delivered lots; null: none (docs/sales-orders.md). */
  minShelfLifeDays: number | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewPartner {
  code: string;
  name: string;
  kind: PartnerKind;
  contacts?: Contact[];
  addresses?: Address[];
  paymentTermsDays?: number;
  leadTimeDays?: number;
  minShelfLifeDays?: number | null;
}

export type PartnerChanges = Partial<Omit<NewPartner, 'code'>> & { archived?: boolean };

export function toPartner(row: Selectable<PartnersTable>): Partner {
  return {
    id: num(row.id),
    code: row.code,
    name: row.name,
    kind: row.kind,
    contacts: JSON.parse(row.contacts) as Contact[],
    addresses: JSON.parse(row.addresses) as Address[],
    paymentTermsDays: num(row.payment_terms_days),
    leadTimeDays: num(row.lead_time_days),
    minShelfLifeDays: row.min_shelf_life_days === null ? null : num(row.min_shelf_life_days),
    archived: num(row.archived) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export async function createPartner(ctx: ServiceContext, input: NewPartner) {
  authorize(ctx.actor, 'partner.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const existing = await tx.selectFrom('partners').select('id').where('org_id', '=', orgId).where('code', '=', input.code).executeTakeFirst();
    if (existing) throw conflict(`a partner with code ${input.code} already exists`, { id: num(existing.id) });
    const at = nowIso();
    const row = await tx
      .insertInto('partners')
      .values({
        org_id: orgId,
        code: input.code,
        name: input.name,
        kind: input.kind,
        contacts: JSON.stringify(input.contacts ?? []),
        addresses: JSON.stringify(input.addresses ?? []),
        payment_terms_days: input.paymentTermsDays ?? 0,
        lead_time_days: input.leadTimeDays ?? 0,
        min_shelf_life_days: input.minShelfLifeDays ?? null,
        archived: 0,
        created_at: at,
        updated_at: at,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const partner = toPartner(row);
    return {
      status: 201,
      body: partner,
      audit: { action: 'partner.create', targetType: 'partner', targetId: partner.id, detail: { after: partner } },
      events: [{ type: 'partner.created', payload: partner }],
    };
  });
}

export async function updatePartner(ctx: ServiceContext, id: number, changes: PartnerChanges) {
  authorize(ctx.actor, 'partner.write');
  const { orgId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await tx.selectFrom('partners').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
    if (!before) throw notFound(`partner ${id}`);
    const row = await tx
      .updateTable('partners')
      .set({
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.kind !== undefined ? { kind: changes.kind } : {}),
        ...(changes.contacts !== undefined ? { contacts: JSON.stringify(changes.contacts) } : {}),
        ...(changes.addresses !== undefined ? { addresses: JSON.stringify(changes.addresses) } : {}),
        ...(changes.paymentTermsDays !== undefined ? { payment_terms_days: changes.paymentTermsDays } : {}),
        ...(changes.leadTimeDays !== undefined ? { lead_time_days: changes.leadTimeDays } : {}),
        ...(changes.minShelfLifeDays !== undefined ? { min_shelf_life_days: changes.minShelfLifeDays } : {}),
        ...(changes.archived !== undefined ? { archived: changes.archived ? 1 : 0 } : {}),
        updated_at: nowIso(),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const partner = toPartner(row);
    return {
      status: 200,
      body: partner,
      audit: { action: partner.archived && !toPartner(before).archived ? 'partner.archive' : 'partner.update', targetType: 'partner', targetId: id, detail: { before: toPartner(before), after: partner } },
      events: [{ type: 'partner.updated', payload: partner }],
    };
  });
}

export async function getPartner(ctx: ServiceContext, id: number): Promise<Partner> {
  authorize(ctx.actor, 'partner.view');
  const row = await ctx.store.read.selectFrom('partners').selectAll().where('org_id', '=', ctx.actor.orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`partner ${id}`);
  return toPartner(row);
}

/** `kind=supplier` lists everyone who supplies (suppliers and `both`); likewise for customers. */
export const PARTNER_SORTS = ['code', '-code', 'name', '-name', 'kind', '-kind', 'createdAt', '-createdAt', 'id', '-id'] as const;
export type PartnerSort = (typeof PARTNER_SORTS)[number];
const PARTNER_SORT_COLUMN = { code: 'code', name: 'name', kind: 'kind', createdAt: 'created_at', id: 'id' } as const;

export async function listPartners(
  ctx: ServiceContext,
  filter: { q?: string; kind?: PartnerKind; includeArchived?: boolean; after?: number; limit: number; sort?: PartnerSort; offset?: number; withTotal?: boolean },
) {
  authorize(ctx.actor, 'partner.view');
  let query = ctx.store.read.selectFrom('partners').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (!filter.includeArchived) query = query.where('archived', '=', 0);
  if (filter.kind !== undefined) query = query.where('kind', 'in', filter.kind === 'both' ? ['both'] : [filter.kind, 'both']);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) => eb.or([contains('code', q), contains('name', q)]));
  }
  return pageList(query, filter, PARTNER_SORT_COLUMN, toPartner);
}

/**
 * A partner by code inside a command, for a document naming it in `field`: it must exist, not be
 * archived and play the role (`supplier` accepts kind supplier or both).
 */
export async function partnerByCode(tx: Tx, orgId: number, code: string, role: 'supplier' | 'customer', field: string): Promise<Partner> {
  const row = await tx.selectFrom('partners').selectAll().where('org_id', '=', orgId).where('code', '=', code).executeTakeFirst();
  const refuse = (message: string) => validationError(`${field}: ${message}`, [{ field, message }]);
  if (!row) throw refuse(`unknown partner ${code}`);
  const partner = toPartner(row);
  if (partner.archived) throw refuse(`partner ${code} is archived`);
  if (partner.kind !== role && partner.kind !== 'both') throw refuse(`partner ${code} is a ${partner.kind}, not a ${role}`);
  return partner;
}
