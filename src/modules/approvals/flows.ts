import type { Selectable } from 'kysely';
import { DecimalFormatError, parseScaled, toJsonNumber } from '../../core/decimal.js';
import { notFound } from '../../core/errors.js';
import { num } from '../../db/schema.js';
import type { ApprovalFlowsTable } from '../../db/tables/approvals.js';
import type { Tx } from '../../db/store.js';
import { nowIso } from '../../ledger/context.js';
import { runCommand } from '../../app/command.js';
import { authorize, type ServiceContext } from '../../app/context.js';
import { FieldErrors } from './errors.js';
import { conditionsHold, type ApprovalDocumentType, type Conditions, type DocumentFields, type StepDefinition, type StepMode } from './model.js';
import { usersById, usersByName } from './users.js';
import { isBuiltInRole } from '../auth/permissions.js';
import { roleRights } from '../auth/service.js';

export interface ConditionsInput {
  amountAtLeast?: number;
  amountAtMost?: number;
  warehouses?: string[];
  categories?: string[];
}

export interface StepInput {
  name: string;
  mode: StepMode;
  approvers: Array<{ user?: string; role?: string }>;
  condition?: ConditionsInput;
}

export interface FlowInput {
  documentType: ApprovalDocumentType;
  name: string;
  priority?: number;
  active?: boolean;
  conditions?: ConditionsInput;
  steps: StepInput[];
}

export type FlowChanges = Partial<Omit<FlowInput, 'documentType' | 'conditions'>> & { conditions?: ConditionsInput | null };

const DEFAULT_PRIORITY = 100;

export async function createFlow(ctx: ServiceContext, input: FlowInput) {
  authorize(ctx.actor, 'approval.manage');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const errors = new FieldErrors();
    const conditions = await prepareConditions(tx, orgId, input.conditions, 'conditions', errors);
    const steps = await prepareSteps(tx, orgId, input.steps, errors);
    errors.throwIfAny();
    const at = nowIso();
    const row = await tx
      .insertInto('approval_flows')
      .values({
        org_id: orgId, document_type: input.documentType, name: input.name, priority: input.priority ?? DEFAULT_PRIORITY, active: input.active === false ? 0 : 1,
        conditions: JSON.stringify(conditions), steps: JSON.stringify(steps), created_by: userId, created_at: at, updated_by: userId, updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const id = num(row.id);
    const body = await flowView(tx, orgId, id);
    return { status: 201, body, audit: { action: 'approval.flow.create', targetType: 'approval-flow', targetId: id, detail: body }, events: [{ type: 'approval-flow.created', payload: body }] };
  });
}

/** Change a flow. Instances already started keep the steps they were started with. */
export async function updateFlow(ctx: ServiceContext, id: number, changes: FlowChanges) {
  authorize(ctx.actor, 'approval.manage');
  const { orgId, userId } = ctx.actor;
  return runCommand(ctx, async ({ tx }) => {
    const before = await flowView(tx, orgId, id);
    const errors = new FieldErrors();
    const conditions = changes.conditions === undefined ? undefined : await prepareConditions(tx, orgId, changes.conditions ?? undefined, 'conditions', errors);
    const steps = changes.steps === undefined ? undefined : await prepareSteps(tx, orgId, changes.steps, errors);
    errors.throwIfAny();
    await tx
      .updateTable('approval_flows')
      .set({
        updated_by: userId, updated_at: nowIso(),
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.priority !== undefined ? { priority: changes.priority } : {}),
        ...(changes.active !== undefined ? { active: changes.active ? 1 : 0 } : {}),
        ...(conditions !== undefined ? { conditions: JSON.stringify(conditions) } : {}),
        ...(steps !== undefined ? { steps: JSON.stringify(steps) } : {}),
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    const body = await flowView(tx, orgId, id);
    return { status: 200, body, audit: { action: 'approval.flow.update', targetType: 'approval-flow', targetId: id, detail: { before, after: body } }, events: [{ type: 'approval-flow.updated', payload: body }] };
  });
}

export async function getFlow(ctx: ServiceContext, id: number) {
  authorize(ctx.actor, 'approval.manage');
  return flowView(ctx.store.read, ctx.actor.orgId, id);
}

/** Flows in the order they are tried: by document type, priority (lowest first), then id. */
export async function listFlows(ctx: ServiceContext, filter: { documentType?: ApprovalDocumentType; active?: boolean }) {
  authorize(ctx.actor, 'approval.manage');
  let query = ctx.store.read.selectFrom('approval_flows').selectAll().where('org_id', '=', ctx.actor.orgId);
  if (filter.documentType) query = query.where('document_type', '=', filter.documentType);
  if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
  const rows = await query.orderBy('document_type').orderBy('priority').orderBy('id').execute();
  const items = [];
  for (const row of rows) items.push(await toView(ctx.store.read, ctx.actor.orgId, row));
  return { items };
}

/** The flow that applies to a document: the first active one, by priority, whose conditions hold. */
export async function matchingFlow(tx: Tx, orgId: number, documentType: ApprovalDocumentType, getFields: () => Promise<DocumentFields>) {
  const flows = await tx
    .selectFrom('approval_flows')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('document_type', '=', documentType)
    .where('active', '=', 1)
    .orderBy('priority')
    .orderBy('id')
    .execute();
  if (flows.length === 0) return undefined;
  const fields = await getFields();
  for (const flow of flows) {
    if (conditionsHold(JSON.parse(flow.conditions) as Conditions, fields)) {
      return { id: num(flow.id), name: flow.name, steps: JSON.parse(flow.steps) as StepDefinition[], fields };
    }
  }
  return undefined;
}

export async function flowView(tx: Tx, orgId: number, id: number) {
  const row = await tx.selectFrom('approval_flows').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound(`approval flow ${id}`);
  return toView(tx, orgId, row);
}

async function toView(tx: Tx, orgId: number, row: Selectable<ApprovalFlowsTable>) {
  const steps = JSON.parse(row.steps) as StepDefinition[];
  const users = await usersById(tx, orgId, steps.flatMap((s) => s.approvers.flatMap((a) => ('userId' in a ? [a.userId] : []))));
  return {
    id: num(row.id),
    documentType: row.document_type,
    name: row.name,
    priority: num(row.priority),
    active: num(row.active) === 1,
    conditions: conditionsView(JSON.parse(row.conditions) as Conditions),
    steps: steps.map((s) => ({
      name: s.name,
      mode: s.mode,
      approvers: s.approvers.map((a) => ('userId' in a ? { user: users.get(a.userId)?.username ?? `#${a.userId}`, userId: a.userId } : { role: a.role })),
      condition: s.condition ? conditionsView(s.condition) : null,
    })),
    createdBy: num(row.created_by),
    createdAt: row.created_at,
    updatedBy: num(row.updated_by),
    updatedAt: row.updated_at,
  };
}

export function conditionsView(c: Conditions) {
  return {
    ...(c.amountAtLeast !== undefined ? { amountAtLeast: toJsonNumber(BigInt(c.amountAtLeast)) } : {}),
    ...(c.amountAtMost !== undefined ? { amountAtMost: toJsonNumber(BigInt(c.amountAtMost)) } : {}),
    ...(c.warehouses !== undefined ? { warehouses: c.warehouses } : {}),
    ...(c.categories !== undefined ? { categories: c.categories } : {}),
  };
}

async function prepareConditions(tx: Tx, orgId: number, input: ConditionsInput | undefined, field: string, errors: FieldErrors): Promise<Conditions> {
  if (!input) return {};
  const c: Conditions = {};
  const amount = (name: 'amountAtLeast' | 'amountAtMost') => {
    const value = input[name];
    if (value === undefined) return;
    try {
      const scaled = parseScaled(value);
      if (scaled < 0n) errors.add(`${field}.${name}`, 'must not be negative');
      c[name] = scaled.toString();
    } catch (e) {
      errors.add(`${field}.${name}`, e instanceof DecimalFormatError ? e.message : 'is invalid');
    }
  };
  amount('amountAtLeast');
  amount('amountAtMost');
  if (c.amountAtLeast !== undefined && c.amountAtMost !== undefined && BigInt(c.amountAtLeast) > BigInt(c.amountAtMost)) {
    errors.add(`${field}.amountAtMost`, 'must not be below amountAtLeast');
  }
  if (input.warehouses !== undefined) {
    const codes = [...new Set(input.warehouses)];
    const known = new Set(
      (await tx.selectFrom('warehouses').select('code').where('org_id', '=', orgId).where('code', 'in', codes).execute()).map((w) => w.code),
    );
    input.warehouses.forEach((code, i) => {
      if (!known.has(code)) errors.add(`${field}.warehouses.${i}`, `unknown warehouse ${code}`);
    });
    c.warehouses = codes;
  }
  if (input.categories !== undefined) c.categories = [...new Set(input.categories)];
  return c;
}

async function customRoleExists(tx: Tx, orgId: number, role: string): Promise<boolean> {
  return (await tx.selectFrom('roles').select('id').where('org_id', '=', orgId).where('name', '=', role).executeTakeFirst()) !== undefined;
}

async function prepareSteps(tx: Tx, orgId: number, input: StepInput[], errors: FieldErrors): Promise<StepDefinition[]> {
  const users = await usersByName(tx, orgId, input.flatMap((s) => s.approvers.flatMap((a) => (a.user !== undefined ? [a.user] : []))));
  // Built-in and custom roles alike: an approver's rights come from their role as stored for the company.
  const known = new Map<string, ReadonlySet<string>>();
  const rights = async (role: string) => {
    let r = known.get(role);
    if (!r) known.set(role, (r = await roleRights(tx, orgId, role)));
    return r;
  };
  const steps: StepDefinition[] = [];
  for (const [i, step] of input.entries()) {
    const seen = new Set<string>();
    const approvers: StepDefinition['approvers'] = [];
    for (const [j, a] of step.approvers.entries()) {
      const at = `steps.${i}.approvers.${j}`;
      const key = a.user !== undefined ? `user:${a.user}` : `role:${a.role}`;
      if (seen.has(key)) errors.add(at, `${a.user ?? a.role} is named twice in this step`);
      seen.add(key);
      if (a.user !== undefined) {
        const user = users.get(a.user);
        if (!user) errors.add(`${at}.user`, `unknown user ${a.user}`);
        else if (user.disabled) errors.add(`${at}.user`, `user ${a.user} is disabled`);
        // Someone who could never sign would block every document the flow catches.
        else if (!(await rights(user.role)).has('approval.decide')) errors.add(`${at}.user`, `${a.user} (role ${user.role}) lacks approval.decide`);
        else approvers.push({ userId: user.id });
      } else if (!isBuiltInRole(a.role!) && !(await customRoleExists(tx, orgId, a.role!))) {
        errors.add(`${at}.role`, `unknown role ${a.role}`);
      } else if (!(await rights(a.role!)).has('approval.decide')) {
        errors.add(`${at}.role`, `role ${a.role} lacks approval.decide`);
      } else {
        approvers.push({ role: a.role! });
      }
    }
    const condition = step.condition ? await prepareConditions(tx, orgId, step.condition, `steps.${i}.condition`, errors) : undefined;
    steps.push({ name: step.name, mode: step.mode, approvers, ...(condition ? { condition } : {}) });
  }
  return steps;
}
