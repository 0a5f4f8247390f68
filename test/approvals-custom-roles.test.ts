import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';

const V = '/api/v1';

/**
 * Approvals with custom roles (docs/security.md "Custom roles"): a custom role's stored rights
 * decide who may be an approver, who sees approvals and who may withdraw, as for built-in roles.
 */
describe.each(ENGINES)('approvals with custom roles on %s', (engine) => {
  let api: TestApi;
  const as: Record<string, Record<string, string>> = {};
  const ok = async (method: string, path: string, body?: unknown, status = 200, headers?: Record<string, string>) => {
    const res = await api.call(method, V + path, body, headers);
    expect(res.status, `${method} ${path} ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };

  beforeAll(async () => {
    api = await startTestApi(engine);
    await ok('POST', '/items', { sku: 'BOLT', name: 'Bolt', unit: 'pcs' }, 201);
    await ok('POST', '/warehouses', { code: 'W1', name: 'W1' }, 201);
    await ok('POST', '/partners', { code: 'SUP', name: 'Supplier', kind: 'supplier' }, 201);
    await ok('POST', '/roles', { name: 'approver', permissions: ['purchase.view', 'approval.decide'] }, 201);
    await ok('POST', '/roles', { name: 'approval-admin', permissions: ['purchase.view', 'approval.manage'] }, 201);
    await ok('POST', '/roles', { name: 'onlooker', permissions: ['item.view'] }, 201);
    for (const [username, role] of [['ann', 'approver'], ['max', 'approval-admin'], ['olo', 'onlooker'], ['pia', 'purchaser']] as const) {
      await ok('POST', '/users', { username, password: `${username}-password`, role }, 201);
      as[username] = { authorization: `Bearer ${await api.login(username, `${username}-password`)}` };
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  const flow = (approvers: unknown[]) => ({ documentType: 'purchase-order', name: 'Custom', steps: [{ name: 'Sign', mode: 'any', approvers }] });
  const submittedOrder = async () => {
    const order = await ok('POST', '/purchase-orders', { supplier: 'SUP', warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 10, unitPrice: 3 }] }, 201, as.pia);
    const submitted = await ok('POST', `/purchase-orders/${order.id}/submit`, undefined, 200, as.pia);
    expect(submitted.status).toBe('submitted');
    return { order: order.id as number, approval: submitted.approval.id as number };
  };

  it('refuses approvers whose (custom) role lacks approval.decide, and unknown roles, writing nothing', async () => {
    const before = await snapshot(api.db.store);
    for (const [approvers, field, message] of [
      [[{ user: 'olo' }], 'steps.0.approvers.0.user', /lacks approval.decide/],
      [[{ role: 'onlooker' }], 'steps.0.approvers.0.role', /lacks approval.decide/],
      [[{ role: 'approval-admin' }], 'steps.0.approvers.0.role', /lacks approval.decide/],
      [[{ role: 'ghost' }], 'steps.0.approvers.0.role', /unknown role ghost/],
    ] as const) {
      const res = await api.call('POST', `${V}/approvals/flows`, flow([...approvers]));
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field, message: expect.stringMatching(message) })]);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('a custom role with approval.decide is an approver, by user and by role, and signs', async () => {
    const byUser = await ok('POST', '/approvals/flows', flow([{ user: 'ann' }]), 201);
    await ok('PATCH', `/approvals/flows/${byUser.id}`, { active: false });
    const byRole = await ok('POST', '/approvals/flows', flow([{ role: 'approver' }]), 201);
    expect(byRole.steps[0].approvers).toEqual([{ role: 'approver' }]);
    const { order, approval } = await submittedOrder();
    // ann sees it (purchase.view through her custom role), in her inbox, and signs it.
    expect((await ok('GET', `/approvals/${approval}`, undefined, 200, as.ann)).status).toBe('pending');
    expect((await ok('GET', '/approvals?documentType=purchase-order', undefined, 200, as.ann)).items.map((a: any) => a.id)).toContain(approval);
    expect((await ok('GET', '/approvals/inbox', undefined, 200, as.ann)).items.map((i: any) => i.approval)).toEqual([approval]);
    expect((await ok('POST', `/approvals/${approval}/approve`, undefined, 200, as.ann)).status).toBe('approved');
    expect((await ok('GET', `/purchase-orders/${order}`)).status).toBe('approved');
    // A custom role without the document's view right sees no approvals.
    expect((await api.call('GET', `${V}/approvals/${approval}`, undefined, as.olo)).status).toBe(403);
    expect((await api.call('GET', `${V}/approvals`, undefined, as.olo)).status).toBe(403);
    await ok('PATCH', `/approvals/flows/${byRole.id}`, { active: false });
  });

  it('a custom role with approval.manage withdraws a document it did not submit; one without cannot', async () => {
    const created = await ok('POST', '/approvals/flows', flow([{ role: 'manager' }]), 201);
    const { order, approval } = await submittedOrder();
    const refused = await api.call('POST', `${V}/approvals/${approval}/withdraw`, {}, as.ann);
    expect(refused.status).toBe(403);
    const withdrawn = await ok('POST', `/approvals/${approval}/withdraw`, { reason: 'on hold' }, 200, as.max);
    expect(withdrawn.status).toBe('cancelled');
    expect((await ok('GET', `/purchase-orders/${order}`)).status).toBe('draft');
    await ok('PATCH', `/approvals/flows/${created.id}`, { active: false });
  });
});
