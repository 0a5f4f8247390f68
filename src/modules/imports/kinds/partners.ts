import { z } from 'zod';
import { runCommand } from '../../../app/command.js';
import { conflict } from '../../../core/errors.js';
import type { PartnerKind } from '../../../db/tables/procurement.js';
import { Code, Name } from '../../../http/schemas.js';
import { nowIso } from '../../../ledger/context.js';
import { toPartner, type Address, type Contact } from '../../procurement/partners-service.js';
import { applyCodeCase, comparableForm } from '../clean.js';
import { RowCheck, where, type CheckedRow, type KindHandler, type RawRow } from '../kind.js';
import { CodeIndex } from '../near-duplicates.js';
import { insertMany } from '../bulk.js';
import { pagesOf } from './items.js';

export interface PartnerRow {
  code: string;
  name: string;
  kind: PartnerKind;
  paymentTermsDays: number;
  leadTimeDays: number;
  contacts: Contact[];
  addresses: Address[];
}

const KINDS: Record<string, PartnerKind> = {
  supplier: 'supplier', vendor: 'supplier', '供应商': 'supplier', '供货商': 'supplier',
  customer: 'customer', client: 'customer', '客户': 'customer',
  both: 'both', '两者': 'both', '供应商和客户': 'both', '客户和供应商': 'both', '全部': 'both',
};
const PARTNER_COLUMNS = (
  [['org_id', 'bigint'], ['code', 'text'], ['name', 'text'], ['kind', 'text'], ['contacts', 'text'], ['addresses', 'text'],
    ['payment_terms_days', 'integer'], ['lead_time_days', 'integer'], ['archived', 'integer'], ['created_at', 'text'], ['updated_at', 'text']] as const
).map(([name, pgType]) => ({ name, pgType }));
const Phone = z.string().regex(/^\+?[0-9 ()./-]{3,40}$/, 'digits, spaces and + ( ) . / - (3-40 characters)');
const Email = z.email('must be an e-mail address').max(254);
const Text = (max: number) => z.string().max(max, `at most ${max} characters`);

export const partnersImport: KindHandler<PartnerRow> = {
  permission: 'partner.write',
  async start(pass) {
    const { ctx, options } = pass;
    const { orgId } = ctx.actor;
    const db = ctx.store.read;
    // Warnings (similar codes, same names) matter in the dry run; the commit only needs the errors.
    const warnings = pass.phase === 'validate';
    const codes = new CodeIndex(warnings);
    const names = new Map<string, { row: number; code: string }>();
    for await (const page of pagesOf((after) =>
      db.selectFrom('partners').select(['id', 'code', 'name']).where('org_id', '=', orgId).where('id', '>', after).orderBy('id').limit(5000).execute(),
    )) {
      for (const p of page) {
        codes.add(p.code, 0);
        const form = comparableForm(p.name);
        if (!names.has(form)) names.set(form, { row: 0, code: p.code });
      }
    }

    const checkRow = (row: RawRow): CheckedRow<PartnerRow> => {
      const c = new RowCheck(row);
      const codeCell = c.required('code');
      const code = c.schema('code', Code, codeCell === undefined ? undefined : applyCodeCase(codeCell, options.codeCase));
      const name = c.schema('name', Name, c.required('name'));
      const kind = c.required('kind') === undefined ? undefined : c.choice('kind', KINDS);
      const paymentTermsDays = c.integer('paymentTermsDays', 0, 3650) ?? 0;
      const leadTimeDays = c.integer('leadTimeDays', 0, 3650) ?? 0;
      const contactName = c.schema('contactName', Name);
      const phone = c.schema('contactPhone', Phone);
      const email = c.schema('contactEmail', Email);
      if (!contactName && (phone || email)) c.error('contactName', 'missing', 'a phone or e-mail needs a contact name');
      const line1 = c.schema('addressLine1', Text(200));
      const city = c.schema('city', Text(100));
      const region = c.schema('region', Text(100));
      const postalCode = c.schema('postalCode', Text(20));
      const country = c.schema('country', Text(100));
      if (!line1 && (city || region || postalCode || country)) c.error('addressLine1', 'missing', 'an address needs its street line');

      if (code !== undefined) {
        const match = codes.observe(code, row.rowNo);
        if (match.exact) {
          if (match.exact.row === 0) c.error('code', 'exists', `a partner with code ${code} already exists`);
          else c.error('code', 'duplicate', `code ${code} repeats row ${match.exact.row}`);
        } else if (match.sameForm) {
          const message = `code ${code} is the same as ${match.sameForm.code} (${where(match.sameForm.row)}) apart from case, width or separators`;
          if (options.nearDuplicates === 'error') c.error('code', 'near-duplicate', message);
          else c.warn('code', 'near-duplicate', message);
        } else if (match.similar) {
          c.warn('code', 'similar', `code ${code} is one character away from ${match.similar.code} (${where(match.similar.row)})`);
        }
      }
      if (name !== undefined && warnings) {
        const form = comparableForm(name);
        const same = names.get(form);
        if (same) c.warn('name', 'same-name', `the same name as ${same.code} (${where(same.row)})`);
        else names.set(form, { row: row.rowNo, code: code ?? `row ${row.rowNo}` });
      }
      const contacts: Contact[] = contactName ? [{ name: contactName, ...(phone ? { phone } : {}), ...(email ? { email } : {}) }] : [];
      const addresses: Address[] = line1 ? [{ line1, ...(city ? { city } : {}), ...(region ? { region } : {}), ...(postalCode ? { postalCode } : {}), ...(country ? { country } : {}) }] : [];
      return c.done(code !== undefined && name !== undefined && kind !== undefined ? { code, name, kind, paymentTermsDays, leadTimeDays, contacts, addresses } : undefined);
    };

    return {
      check: async (rows) => rows.map(checkRow),
      async commit(rows, advance) {
        await runCommand(ctx, async (lt) => {
          const { tx } = lt;
          const at = nowIso();
          const inserted = await insertMany(lt, 'partners', PARTNER_COLUMNS, rows.map(({ value: v }) => [
            orgId, v!.code, v!.name, v!.kind, JSON.stringify(v!.contacts), JSON.stringify(v!.addresses), v!.paymentTermsDays, v!.leadTimeDays, 0, at, at,
          ]), ['org_id', 'code']);
          if (inserted.length < rows.length) {
            const made = new Set(inserted.map((r) => r.code));
            throw conflict(`partners were created meanwhile with code ${rows.filter((r) => !made.has(r.value!.code)).slice(0, 10).map((r) => `${r.value!.code} (row ${r.rowNo})`).join(', ')}`);
          }
          await advance(tx);
          const partners = inserted.map(toPartner);
          return {
            status: 200,
            body: null,
            audit: { action: 'import.commit', targetType: 'import', targetId: pass.jobId, detail: { kind: 'partners', rows: [rows[0]?.rowNo, rows.at(-1)?.rowNo], created: partners.length } },
            events: partners.map((partner) => ({ type: 'partner.created', payload: partner })),
          };
        });
      },
    };
  },
};
