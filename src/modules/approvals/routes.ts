import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route.js';
import { Code, Cursor, DateText, IdParams, Limit, Name } from '../../http/schemas.js';
import { ROLES } from '../auth/permissions.js';
import { approveApproval, rejectApproval, withdrawApproval } from './decide.js';
import { createDelegation, listDelegations, revokeDelegation } from './delegations.js';
import { createFlow, getFlow, listFlows, updateFlow } from './flows.js';
import { APPROVAL_DOCUMENT_TYPE_CODES } from './model.js';
import { documentTypes, getApproval, inbox, listApprovals } from './queries.js';

const DocumentType = z.enum(APPROVAL_DOCUMENT_TYPE_CODES);
const Username = z.string().trim().min(1).max(64);
const Text = z.string().trim().min(1, 'must not be empty').max(500, 'at most 500 characters');
const Category = z.string().trim().min(1).max(100);
const Amount = z.number().finite().min(0).describe('Up to 6 decimals');

const Conditions = z.strictObject({
  amountAtLeast: Amount.optional().describe('The document amount is at least this'),
  amountAtMost: Amount.optional().describe('The document amount is at most this'),
  warehouses: z.array(Code).min(1).max(100).optional().describe('The document is for one of these warehouses (codes)'),
  categories: z.array(Category).min(1).max(100).optional().describe('Any line is an item of one of these categories'),
});
const Approver = z
  .strictObject({
    user: Username.optional(),
    role: z.string().trim().min(1).max(64).optional().describe(`A built-in role (${ROLES.join(', ')}) or a custom role of the company; it must hold approval.decide`),
  })
  .refine((a) => (a.user === undefined) !== (a.role === undefined), 'name either a user or a role');
const Step = z.strictObject({
  name: Name,
  mode: z.enum(['any', 'all']).describe('any: one approver suffices; all (会签): every approver entry must sign'),
  approvers: z.array(Approver).min(1, 'at least one approver').max(20, 'at most 20 approvers'),
  condition: Conditions.optional().describe('The step is skipped unless this holds'),
});
const Steps = z.array(Step).min(1, 'at least one step').max(10, 'at most 10 steps');
const Priority = z.number().int().min(0).max(1_000_000).describe('Lower is tried first; default 100');

const ConditionsView = z.object({ amountAtLeast: z.number().optional(), amountAtMost: z.number().optional(), warehouses: z.array(z.string()).optional(), categories: z.array(z.string()).optional() });
const FlowView = z.object({
  id: z.number().int(), documentType: DocumentType, name: z.string(), priority: z.number().int(), active: z.boolean(), conditions: ConditionsView,
  steps: z.array(z.object({ name: z.string(), mode: z.enum(['any', 'all']), approvers: z.array(z.object({ user: z.string().optional(), userId: z.number().int().optional(), role: z.string().optional() })), condition: ConditionsView.nullable() })),
  createdBy: z.number().int(), createdAt: z.string(), updatedBy: z.number().int(), updatedAt: z.string(),
});
const ApprovalView = z.object({
  id: z.number().int(), documentType: DocumentType, documentId: z.number().int(), documentNumber: z.string(), flowId: z.number().int(), flowName: z.string(),
  status: z.enum(['pending', 'approved', 'rejected', 'cancelled']), currentStep: z.number().int().nullable(),
  fields: z.object({ amount: z.number(), warehouse: z.string(), categories: z.array(z.string()) }),
  steps: z.array(z.object({
    step: z.number().int(), name: z.string(), mode: z.enum(['any', 'all']), state: z.enum(['approved', 'waiting', 'rejected', 'not reached', 'cancelled', 'skipped']),
    approvers: z.array(z.object({ user: z.string().optional(), userId: z.number().int().optional(), role: z.string().optional(), signedBy: z.string().nullable(), onBehalfOf: z.string().nullable() })),
  })),
  decisions: z.array(z.object({ step: z.number().int(), decision: z.enum(['approve', 'reject', 'withdraw']), by: z.string(), byUserId: z.number().int(), onBehalfOf: z.string().nullable(), onBehalfOfUserId: z.number().int().nullable(), reason: z.string().nullable(), at: z.string() })),
  requestedBy: z.string(), requestedByUserId: z.number().int(), submittedBy: z.string(), submittedByUserId: z.number().int(), submittedAt: z.string(),
  completedAt: z.string().nullable(), rejectionReason: z.string().nullable(),
});
const InboxItem = z.object({
  approval: z.number().int(), documentType: DocumentType, documentId: z.number().int(), documentNumber: z.string(), flowName: z.string(),
  step: z.number().int(), stepName: z.string(), mode: z.enum(['any', 'all']), signed: z.number().int(), needed: z.number().int(),
  amount: z.number(), warehouse: z.string(), categories: z.array(z.string()), submittedBy: z.string(), submittedAt: z.string(),
  asSelf: z.boolean().describe('I can sign as myself'), onBehalfOf: z.array(z.string()).describe('Delegators I can sign for instead'),
});
const DelegationView = z.object({
  id: z.number().int(), from: z.string(), fromUserId: z.number().int(), to: z.string(), toUserId: z.number().int(), startsOn: z.string(), endsOn: z.string(),
  note: z.string().nullable(), active: z.boolean(), createdAt: z.string(), revokedAt: z.string().nullable(),
});
const TAG = 'approvals';

export const approvalRoutes: RouteSpec[] = [
  defineRoute({
    method: 'GET', path: '/approvals/document-types', tag: TAG, summary: 'Document types a flow can be configured for, and what their amount means (approval.manage)',
    responses: { 200: { description: 'Document types', schema: z.object({ items: z.array(z.object({ code: DocumentType, name: z.string(), amount: z.string() })) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: documentTypes(ctx) }),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/flows', tag: TAG, summary: 'Configure an approval flow for a document type (approval.manage)',
    body: z.strictObject({ documentType: DocumentType, name: Name, priority: Priority.optional(), active: z.boolean().optional(), conditions: Conditions.optional(), steps: Steps }),
    responses: { 201: { description: 'The flow', schema: FlowView } },
    handler: ({ ctx, body }) => createFlow(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/approvals/flows', tag: TAG, summary: 'Flows in the order they are tried: document type, priority, id (approval.manage)',
    query: z.strictObject({ documentType: DocumentType.optional(), active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
    responses: { 200: { description: 'Flows', schema: z.object({ items: z.array(FlowView) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listFlows(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/approvals/flows/{id}', tag: TAG, summary: 'Get an approval flow (approval.manage)', params: IdParams,
    responses: { 200: { description: 'The flow', schema: FlowView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getFlow(ctx, params.id) }),
  }),
  defineRoute({
    method: 'PATCH', path: '/approvals/flows/{id}', tag: TAG, summary: 'Change a flow; approvals already started keep their steps (approval.manage)', params: IdParams,
    body: z.strictObject({ name: Name.optional(), priority: Priority.optional(), active: z.boolean().optional(), conditions: Conditions.nullable().optional(), steps: Steps.optional() }),
    responses: { 200: { description: 'The flow', schema: FlowView } },
    handler: ({ ctx, params, body }) => updateFlow(ctx, params.id, body),
  }),
  defineRoute({
    method: 'GET', path: '/approvals/inbox', tag: TAG, summary: 'Approvals whose current step I can sign now, myself or for whoever delegated to me (approval.decide)',
    responses: { 200: { description: 'What waits for me, oldest first', schema: z.object({ items: z.array(InboxItem) }) } },
    handler: async ({ ctx }) => ({ status: 200, body: await inbox(ctx) }),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/delegations', tag: TAG, summary: 'Delegate my approvals to another user for a range of days (approval.decide)',
    body: z.strictObject({ to: Username, startsOn: DateText, endsOn: DateText, note: Text.optional() }),
    responses: { 201: { description: 'The delegation', schema: DelegationView } },
    handler: ({ ctx, body }) => createDelegation(ctx, body),
  }),
  defineRoute({
    method: 'GET', path: '/approvals/delegations', tag: TAG, summary: 'Delegations I gave or received; all=true lists everyone\'s (approval.manage)',
    query: z.strictObject({ all: z.enum(['true', 'false']).transform((v) => v === 'true').optional() }),
    responses: { 200: { description: 'Delegations, newest first', schema: z.object({ items: z.array(DelegationView) }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listDelegations(ctx, query) }),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/delegations/{id}/revoke', tag: TAG, summary: 'End a delegation now (its delegator, or approval.manage)', params: IdParams,
    responses: { 200: { description: 'The delegation', schema: DelegationView } },
    handler: ({ ctx, params }) => revokeDelegation(ctx, params.id),
  }),
  defineRoute({
    method: 'GET', path: '/approvals', tag: TAG, summary: 'Approvals (flow runs) of documents, newest first',
    query: z.strictObject({ documentType: DocumentType.optional(), documentId: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(), status: z.enum(['pending', 'approved', 'rejected', 'cancelled']).optional(), after: Cursor, limit: Limit }),
    responses: { 200: { description: 'A page of approvals', schema: z.object({ items: z.array(ApprovalView), next: z.string().optional() }) } },
    handler: async ({ ctx, query }) => ({ status: 200, body: await listApprovals(ctx, query) }),
  }),
  defineRoute({
    method: 'GET', path: '/approvals/{id}', tag: TAG, summary: 'An approval with its steps, who signed and every decision', params: IdParams,
    responses: { 200: { description: 'The approval', schema: ApprovalView } },
    handler: async ({ ctx, params }) => ({ status: 200, body: await getApproval(ctx, params.id) }),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/{id}/approve', tag: TAG, summary: 'Sign the current step; the last signature performs the document\'s action (approval.decide)', params: IdParams,
    body: z.strictObject({ comment: Text.optional(), onBehalfOf: Username.optional().describe('Sign for this delegator') }).optional(),
    responses: { 200: { description: 'The approval', schema: ApprovalView } },
    handler: ({ ctx, params, body }) => approveApproval(ctx, params.id, body ?? {}),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/{id}/reject', tag: TAG, summary: 'Reject with a reason: the flow ends, the document goes back or is rejected (approval.decide)', params: IdParams,
    body: z.strictObject({ reason: Text, onBehalfOf: Username.optional().describe('Decide for this delegator') }),
    responses: { 200: { description: 'The approval', schema: ApprovalView } },
    handler: ({ ctx, params, body }) => rejectApproval(ctx, params.id, body),
  }),
  defineRoute({
    method: 'POST', path: '/approvals/{id}/withdraw', tag: TAG, summary: 'Take a pending document back (its creator or submitter, or approval.manage)', params: IdParams,
    body: z.strictObject({ reason: Text.optional() }).optional(),
    responses: { 200: { description: 'The approval', schema: ApprovalView } },
    handler: ({ ctx, params, body }) => withdrawApproval(ctx, params.id, body ?? {}),
  }),
];
