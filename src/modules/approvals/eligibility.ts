import type { StepSnapshot } from './model.js';

/**
 * Who may sign a step, and when a step is complete (pure; docs/approvals.md "Rules").
 * Every signature satisfies one approver entry: the principal's own user entry first, else the
 * first unsatisfied entry of a role the principal holds. `any` completes with one satisfied
 * entry, `all` (会签) when every entry is satisfied, so a countersign always needs distinct people.
 */
export interface Signature {
  decidedBy: number;
  onBehalfOf: number | null;
  entry: number | null;
}

export interface Principal {
  id: number;
  role: string;
}

export const principalOf = (s: Signature) => s.onBehalfOf ?? s.decidedBy;

export function satisfiedEntries(signatures: Signature[]): Set<number> {
  return new Set(signatures.flatMap((s) => (s.entry === null ? [] : [s.entry])));
}

/** The entry a signature by (or for) this principal would satisfy, or -1. */
export function entryFor(step: StepSnapshot, signatures: Signature[], principal: Principal): number {
  const satisfied = satisfiedEntries(signatures);
  const own = step.approvers.findIndex((a, i) => !satisfied.has(i) && 'userId' in a && a.userId === principal.id);
  if (own >= 0) return own;
  return step.approvers.findIndex((a, i) => !satisfied.has(i) && 'role' in a && a.role === principal.role);
}

/** Is the principal named in the step at all (satisfied or not)? */
export function namedIn(step: StepSnapshot, principal: Principal): boolean {
  return step.approvers.some((a) => ('userId' in a ? a.userId === principal.id : a.role === principal.role));
}

export function stepComplete(step: StepSnapshot, signatures: Signature[]): boolean {
  const satisfied = satisfiedEntries(signatures).size;
  return step.mode === 'any' ? satisfied >= 1 : satisfied >= step.approvers.length;
}
