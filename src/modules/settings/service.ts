import { z } from 'zod';
import { DecimalFormatError, parseScaled, toJsonNumber } from '../../core/decimal.js';
import { fieldError } from '../../core/errors.js';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';

/**
 * Company settings. Amounts are stored as decimal text and read back as scaled bigints, like every
 * other amount; the defaults apply until a company changes them.
 */
export interface OrgSettings {
  /** Purchase orders whose total exceeds this need a second person's approval. */
  purchaseApprovalThreshold: bigint;
  /** Receiving more than ordered is allowed up to this percentage of the ordered quantity. */
  overReceiptTolerancePercent: bigint;
  /** Count variances whose absolute value exceeds this amount need approval before posting. */
  countVarianceApprovalThreshold: bigint;
  /** Confirmed sales orders lock this many hours before their requested date (docs/sales-orders.md). */
  salesOrderLockHours: bigint;
}

const DEFAULTS: Record<keyof OrgSettings, string> = {
  purchaseApprovalThreshold: '10000',
  overReceiptTolerancePercent: '10',
  countVarianceApprovalThreshold: '1000',
  salesOrderLockHours: '24',
};

export const SettingsPatch = z.strictObject({
  purchaseApprovalThreshold: z.number().finite().min(0).optional(),
  overReceiptTolerancePercent: z.number().finite().min(0).max(1000).optional(),
  countVarianceApprovalThreshold: z.number().finite().min(0).optional(),
  salesOrderLockHours: z.number().int().min(0).max(8760).optional(),
});

export async function readSettings(db: Kysely<DB>, orgId: number): Promise<OrgSettings> {
  const rows = await db.selectFrom('org_settings').select(['key', 'value']).where('org_id', '=', orgId).execute();
  const stored = new Map(rows.map((r) => [r.key, r.value]));
  const value = (key: keyof OrgSettings) => parseScaled(stored.get(key) ?? DEFAULTS[key]);
  return {
    purchaseApprovalThreshold: value('purchaseApprovalThreshold'),
    overReceiptTolerancePercent: value('overReceiptTolerancePercent'),
    countVarianceApprovalThreshold: value('countVarianceApprovalThreshold'),
    salesOrderLockHours: value('salesOrderLockHours'),
  };
}

export function settingsView(settings: OrgSettings) {
  return {
    purchaseApprovalThreshold: toJsonNumber(settings.purchaseApprovalThreshold),
    overReceiptTolerancePercent: toJsonNumber(settings.overReceiptTolerancePercent),
    countVarianceApprovalThreshold: toJsonNumber(settings.countVarianceApprovalThreshold),
    salesOrderLockHours: toJsonNumber(settings.salesOrderLockHours),
  };
}

export async function getSettings(ctx: ServiceContext) {
  return settingsView(await readSettings(ctx.store.read, ctx.actor.orgId));
}

export async function updateSettings(ctx: ServiceContext, patch: z.infer<typeof SettingsPatch>) {
  authorize(ctx.actor, 'settings.manage');
  const { orgId } = ctx.actor;
  const entries = Object.entries(patch).filter(([, v]) => v !== undefined) as Array<[keyof OrgSettings, number]>;
  for (const [key, v] of entries) {
    try {
      parseScaled(v);
    } catch (e) {
      throw fieldError(key, e instanceof DecimalFormatError ? e.message : 'is invalid');
    }
  }
  return runCommand(ctx, async ({ tx }) => {
    const before = settingsView(await readSettings(tx, orgId));
    for (const [key, v] of entries) {
      await tx
        .insertInto('org_settings')
        .values({ org_id: orgId, key, value: String(v), updated_at: nowIso() })
        .onConflict((oc) => oc.columns(['org_id', 'key']).doUpdateSet({ value: String(v), updated_at: nowIso() }))
        .execute();
    }
    const after = settingsView(await readSettings(tx, orgId));
    return { status: 200, body: after, audit: { action: 'settings.update', targetType: 'org', targetId: orgId, detail: { before, after } } };
  });
}
