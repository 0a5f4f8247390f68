import type { Permission } from '../auth/permissions.js';

/**
 * The approval model (docs/approvals.md). A flow applies to one document type; its conditions and
 * each step's optional condition are checked against the document's fields when it is submitted.
 * Amounts are scaled bigints (10^6) kept as decimal-integer strings in JSON, so they stay exact.
 */

/** Document types that can wait for an approval flow, and the right needed to see them. */
export const APPROVAL_DOCUMENT_TYPES = {
  'purchase-order': { name: '采购订单 Purchase order', viewPermission: 'purchase.view', amount: 'order total (quantity × unit price)' },
  'inventory-adjustment': { name: '库存调整 Inventory adjustment', viewPermission: 'stock.view', amount: 'value of the lines: |quantity| × (unit cost, else last known cost)' },
  scrap: { name: '报废 Scrap', viewPermission: 'stock.view', amount: 'value of the lines: quantity × last known cost' },
} as const satisfies Record<string, { name: string; viewPermission: Permission; amount: string }>;

export type ApprovalDocumentType = keyof typeof APPROVAL_DOCUMENT_TYPES;
export const APPROVAL_DOCUMENT_TYPE_CODES = Object.keys(APPROVAL_DOCUMENT_TYPES) as [ApprovalDocumentType, ...ApprovalDocumentType[]];

/** Conditions as stored: every one given must hold. Amounts are scaled integers as strings. */
export interface Conditions {
  amountAtLeast?: string;
  amountAtMost?: string;
  warehouses?: string[];
  categories?: string[];
}

/** An approver entry of a step: one named user, or any one user holding a role. */
export type ApproverEntry = { userId: number } | { role: string };

export type StepMode = 'any' | 'all';

export interface StepDefinition {
  name: string;
  /** `any`: one entry's signature completes the step; `all` (会签): every entry must sign. */
  mode: StepMode;
  approvers: ApproverEntry[];
  condition?: Conditions;
}

/** A step as snapshot into an instance: usernames resolved, skipped when its condition did not hold. */
export interface StepSnapshot {
  name: string;
  mode: StepMode;
  approvers: Array<{ userId: number; username: string } | { role: string }>;
  condition?: Conditions;
  skipped: boolean;
}

/** What conditions look at, taken from the document when it is submitted. */
export interface DocumentFields {
  number: string;
  /** Scaled (10^6) integer as a string. */
  amount: string;
  warehouse: string;
  /** Categories of the items on its lines (distinct, without nulls). */
  categories: string[];
}

/** Does a document satisfy every given condition? (categories: any line's item category). */
export function conditionsHold(c: Conditions | undefined, f: DocumentFields): boolean {
  if (!c) return true;
  const amount = BigInt(f.amount);
  if (c.amountAtLeast !== undefined && amount < BigInt(c.amountAtLeast)) return false;
  if (c.amountAtMost !== undefined && amount > BigInt(c.amountAtMost)) return false;
  if (c.warehouses !== undefined && !c.warehouses.includes(f.warehouse)) return false;
  if (c.categories !== undefined && !f.categories.some((cat) => c.categories!.includes(cat))) return false;
  return true;
}

/** The index of the first step at or after `from` that is not skipped, or -1 when none is left. */
export function nextOpenStep(steps: StepSnapshot[], from: number): number {
  for (let i = from; i < steps.length; i++) if (!steps[i]!.skipped) return i;
  return -1;
}
