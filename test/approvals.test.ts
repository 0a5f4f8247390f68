import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from './support/engines.js';
import { startTestApi, type TestApi } from './support/http.js';
import { snapshot } from './support/snapshot.js';
import { conditionsHold, nextOpenStep, type StepSnapshot } from '../src/modules/approvals/model.js';
import { entryFor, stepComplete } from '../src/modules/approvals/eligibility.js';

const V = '/api/v1';
type Headers = Record<string, string>;

/** Approval flows (审批流) over HTTP on both engines: flows, countersign, conditions, delegation, inbox, audit. */
describe.each(ENGINES)('approval flows on %s', (engine) => {
  let api: TestApi;
  /** Managers (approval.decide): amy, ben, cai; pia purchaser; dan clerk. */
  const as: Record<string, Headers> = {};
  const ids: Record<string, number> = {};
  const today = new Date().toISOString().slice(0, 10);
  const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

  beforeAll(async () => {
    api = await startTestApi(engine, { poolSize: 10 });
    for (const item of [
      { sku: 'BOLT', name: '螺栓 Bolt', unit: 'pcs', category: 'hardware' },
      { sku: 'GOLD', name: '金箔 Gold leaf', unit: 'g', unitPrecision: 2, category: 'precious' },
      { sku: 'SILVER', name: '银 Silver', unit: 'g', category: 'precious' },
    ]) expect((await api.call('POST', `${V}/items`, item)).status).toBe(201);
    for (const code of ['W1', 'W2']) expect((await api.call('POST', `${V}/warehouses`, { code, name: code })).status).toBe(201);
    expect((await api.call('POST', `${V}/partners`, { code: 'SUP', name: 'Supplier', kind: 'supplier' })).status).toBe(201);
    for (const [username, role] of [['amy', 'manager'], ['ben', 'manager'], ['cai', 'manager'], ['pia', 'purchaser'], ['dan', 'clerk']] as const) {
      const res = await api.call('POST', `${V}/users`, { username, password: `${username}-password`, role });
      expect(res.status).toBe(201);
      ids[username] = res.body.id;
      as[username] = { authorization: `Bearer ${await api.login(username, `${username}-password`)}` };
    }
    // Stock to scrap and adjust against (no flow exists yet: posts at once).
    const adj = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 100, unitCost: 2 }, { sku: 'GOLD', quantity: 50, unitCost: 400 }, { sku: 'SILVER', quantity: 20, unitCost: 5 }] });
    expect(adj.status).toBe(201);
    expect(adj.body.status).toBe('posted');
    expect(adj.body.approval).toBeNull();
  });
  afterAll(async () => {
    await api?.close();
  });

  const onHand = async (sku: string, warehouse = 'W1') => {
    const res = await api.call('GET', `${V}/stock?sku=${sku}&warehouse=${warehouse}`);
    expect(res.status).toBe(200);
    return (res.body.items as Array<{ onHand: number }>).reduce((s, r) => s + r.onHand, 0);
  };
  const documentMoves = async (sku: string, document: string) =>
    ((await api.call('GET', `${V}/moves?sku=${sku}`)).body.items as Array<{ document: string }>).filter((m) => m.document === document);
  const audit = async (targetType: string, targetId: number) =>
    ((await api.call('GET', `${V}/audit?targetType=${targetType}&targetId=${targetId}`)).body.items as Array<{ action: string; userId: number; detail: any }>).reverse();
  const createFlow = async (body: Record<string, unknown>) => {
    const res = await api.call('POST', `${V}/approvals/flows`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const deactivate = async (id: number) => expect((await api.call('PATCH', `${V}/approvals/flows/${id}`, { active: false })).status).toBe(200);
  const inboxOf = async (user: string) => {
    const res = await api.call('GET', `${V}/approvals/inbox`, undefined, as[user]);
    expect(res.status).toBe(200);
    return res.body.items as Array<{ approval: number; documentNumber: string; stepName: string; asSelf: boolean; onBehalfOf: string[]; signed: number; needed: number }>;
  };
  const approve = (approval: number, user: string, body?: unknown) => api.call('POST', `${V}/approvals/${approval}/approve`, body, as[user]);
  const newOrder = async (quantity: number, unitPrice: number, sku = 'BOLT') => {
    const created = await api.call('POST', `${V}/purchase-orders`, { supplier: 'SUP', warehouse: 'W1', lines: [{ sku, quantity, unitPrice }] }, as.pia);
    expect(created.status).toBe(201);
    return created.body.id as number;
  };

  it('an approval flow with two steps and a countersign blocks posting until complete (purchase order)', async () => {
    const flow = await createFlow({
      documentType: 'purchase-order', name: '大额采购 Large orders', priority: 10, conditions: { amountAtLeast: 1000 },
      steps: [
        { name: '部门经理 Department head', mode: 'any', approvers: [{ role: 'manager' }] },
        { name: '财务会签 Finance countersign', mode: 'all', approvers: [{ user: 'ben' }, { user: 'cai' }] },
      ],
    });
    // Small orders do not match the flow: the old threshold path, approved at once.
    const small = await newOrder(10, 5);
    const smallSubmitted = await api.call('POST', `${V}/purchase-orders/${small}/submit`, undefined, as.pia);
    expect(smallSubmitted.body).toMatchObject({ status: 'approved', autoApproved: true, approval: null });

    const id = await newOrder(1000, 5); // total 5000 >= 1000
    const submitted = await api.call('POST', `${V}/purchase-orders/${id}/submit`, undefined, as.pia);
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ status: 'submitted', autoApproved: false, approval: { status: 'pending' } });
    const approval = submitted.body.approval.id as number;

    // Only the flow approves: the direct approval and receiving are refused.
    const direct = await api.call('POST', `${V}/purchase-orders/${id}/approve`, undefined, as.amy);
    expect(direct.status).toBe(409);
    expect(direct.body.detail).toContain(`/approvals/${approval}`);
    expect((await api.call('POST', `${V}/purchase-orders/${id}/reject`, { reason: 'no' }, as.amy)).status).toBe(409);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] })).status).toBe(409);

    // Step 1: any manager. Finance (step 2) has nothing in its inbox yet; amy has.
    expect((await inboxOf('ben')).some((i) => i.approval === approval)).toBe(true); // ben is a manager too
    const first = await approve(approval, 'amy', { comment: 'ok from purchasing' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({ status: 'pending', currentStep: 1, steps: [{ state: 'approved' }, { state: 'waiting' }] });
    expect((await inboxOf('amy')).some((i) => i.approval === approval)).toBe(false);
    expect((await inboxOf('ben')).find((i) => i.approval === approval)).toMatchObject({ stepName: '财务会签 Finance countersign', signed: 0, needed: 2, asSelf: true });

    // Step 2, countersign: amy is not named; ben signs once, not twice; the order waits until cai signs too.
    expect((await approve(approval, 'amy')).status).toBe(403);
    expect((await approve(approval, 'ben')).status).toBe(200);
    expect((await api.call('GET', `${V}/purchase-orders/${id}`)).body.status).toBe('submitted');
    const twice = await approve(approval, 'ben');
    expect(twice.status).toBe(409);
    expect((await inboxOf('ben')).some((i) => i.approval === approval)).toBe(false);
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] })).status).toBe(409);

    const last = await approve(approval, 'cai');
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ status: 'approved', currentStep: null, completedAt: expect.any(String) });
    expect(last.body.steps[1].approvers.map((a: any) => a.signedBy)).toEqual(['ben', 'cai']);
    const order = (await api.call('GET', `${V}/purchase-orders/${id}`)).body;
    expect(order).toMatchObject({ status: 'approved', approvedBy: ids.cai, autoApproved: false, approval: { id: approval, status: 'approved' } });
    expect((await api.call('POST', `${V}/receipts`, { purchaseOrder: id, lines: [{ line: 1, quantity: 1 }] })).status).toBe(201);
    // Decided already: any further decision is a 409.
    expect((await api.call('POST', `${V}/approvals/${approval}/reject`, { reason: 'late' }, as.amy)).status).toBe(409);

    // Every decision is in the audit trail, with who and the step; the order's trail shows the flow's approval.
    const trail = await audit('approval', approval);
    expect(trail.map((a) => [a.action, a.userId, a.detail.step, a.detail.stepCompleted, a.detail.completed])).toEqual([
      ['approval.approve', ids.amy, 0, true, false],
      ['approval.approve', ids.ben, 1, false, false],
      ['approval.approve', ids.cai, 1, true, true],
    ]);
    const orderTrail = await audit('purchase-order', id);
    expect(orderTrail.map((a) => [a.action, a.userId])).toEqual([['purchase.create', ids.pia], ['purchase.submit', ids.pia], ['purchase.approve', ids.cai]]);
    expect(orderTrail[2]!.detail.approval).toBe(approval);
    const events = await api.db.store.read.selectFrom('outbox_events').select('type').where('type', 'like', 'approval.%').execute();
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['approval.started', 'approval.signed', 'approval.approved']));
    await deactivate(flow);
  });

  it('an inventory adjustment with a two-step countersign flow posts nothing until both have signed', async () => {
    const flow = await createFlow({
      documentType: 'inventory-adjustment', name: 'Precious metals', conditions: { categories: ['precious'], warehouses: ['W1'] },
      steps: [
        { name: 'Supervisor', mode: 'any', approvers: [{ user: 'amy' }, { user: 'ben' }] },
        { name: '会签 Countersign', mode: 'all', approvers: [{ user: 'ben' }, { user: 'cai' }] },
      ],
    });
    const before = await onHand('GOLD');
    const created = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', reason: 'found in vault', lines: [{ sku: 'GOLD', quantity: 2.5, unitCost: 400 }, { sku: 'BOLT', quantity: 1, unitCost: 2 }, { sku: 'SILVER', quantity: -1 }] }, as.dan);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ status: 'pending_approval', moves: [], approval: { status: 'pending' } });
    const approval = created.body.approval.id as number;
    expect(await onHand('GOLD')).toBe(before);
    expect(await documentMoves('GOLD', created.body.number)).toEqual([]);

    // Same documents elsewhere or without a precious line post at once.
    const other = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W2', lines: [{ sku: 'GOLD', quantity: 1, unitCost: 400 }] }, as.dan);
    expect(other.body.status).toBe('posted');
    const plain = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 1 }] }, as.dan);
    expect(plain.body.status).toBe('posted');

    // The approval shows what it is about.
    const view = await api.call('GET', `${V}/approvals/${approval}`);
    expect(view.status).toBe(200);
    // A clerk sees the approval too, without money (report.view_cost hides amounts).
    expect((await api.call('GET', `${V}/approvals/${approval}`, undefined, as.dan)).body.fields.amount).toBeNull();
    // amount: 2.5 × 400 + 1 × 2 + SILVER's last known cost 5 for the unit going out.
    expect(view.body).toMatchObject({ documentType: 'inventory-adjustment', documentNumber: created.body.number, fields: { amount: 1000 + 2 + 5, warehouse: 'W1', categories: ['hardware', 'precious'] }, requestedBy: 'dan' });

    // Ben signs step 1 (any), then is the first of the countersign; the adjustment still waits.
    expect((await approve(approval, 'ben')).body.currentStep).toBe(1);
    expect((await approve(approval, 'ben')).status).toBe(200);
    expect((await api.call('GET', `${V}/inventory-adjustments/${created.body.id}`)).body.status).toBe('pending_approval');
    expect(await onHand('GOLD')).toBe(before);
    // cai completes the countersign: the adjustment posts in the same transaction.
    const done = await approve(approval, 'cai');
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('approved');
    const posted = (await api.call('GET', `${V}/inventory-adjustments/${created.body.id}`)).body;
    expect(posted.status).toBe('posted');
    expect(posted.moves.map((m: any) => [m.sku, m.to.startsWith('W1/'), m.quantity])).toEqual([['GOLD', true, 2.5], ['BOLT', true, 1], ['SILVER', false, 1]]);
    expect(await onHand('GOLD')).toBe(before + 2.5);
    expect((await audit('inventory-adjustment', created.body.id)).map((a) => a.action)).toEqual(['stock.adjust.request', 'stock.adjust']);
    await deactivate(flow);
  });

  it('the first matching flow by priority applies; its step conditions skip steps', async () => {
    const big = await createFlow({
      documentType: 'scrap', name: 'Big scrap', priority: 1, conditions: { amountAtLeast: 500 },
      steps: [{ name: 'Director', mode: 'any', approvers: [{ user: 'cai' }] }],
    });
    const any = await createFlow({
      documentType: 'scrap', name: 'Any scrap', priority: 2,
      steps: [
        { name: 'Supervisor', mode: 'any', approvers: [{ user: 'amy' }] },
        { name: 'Precious only', mode: 'any', approvers: [{ user: 'ben' }], condition: { categories: ['precious'] } },
      ],
    });
    const scrap = async (sku: string, quantity: number) => {
      const res = await api.call('POST', `${V}/scraps`, { warehouse: 'W1', reason: 'damaged', lines: [{ sku, quantity }] }, as.dan);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.status).toBe('pending_approval');
      return { id: res.body.id as number, number: res.body.number as string, approval: (await api.call('GET', `${V}/approvals/${res.body.approval.id}`)).body };
    };
    const gold = await scrap('GOLD', 2); // 800 >= 500: Big scrap
    expect(gold.approval).toMatchObject({ flowName: 'Big scrap', steps: [{ name: 'Director' }] });
    const bolts = await scrap('BOLT', 3); // 6: Any scrap, the precious step skipped
    expect(bolts.approval).toMatchObject({ flowName: 'Any scrap', currentStep: 0, steps: [{ state: 'waiting' }, { state: 'skipped' }] });
    const silver = await scrap('SILVER', 1); // 5, precious: both steps
    expect(silver.approval.steps.map((s: any) => s.state)).toEqual(['waiting', 'not reached']);

    expect((await approve(bolts.approval.id, 'amy')).body.status).toBe('approved');
    expect((await api.call('GET', `${V}/scraps/${bolts.id}`)).body).toMatchObject({ status: 'posted', moves: [{ sku: 'BOLT', quantity: 3 }] });
    expect((await approve(silver.approval.id, 'amy')).body).toMatchObject({ status: 'pending', currentStep: 1 });
    expect((await approve(silver.approval.id, 'ben')).body.status).toBe('approved');
    expect((await api.call('GET', `${V}/scraps/${silver.id}`)).body.status).toBe('posted');

    // Reject needs a reason (422, nothing written); with one the scrap is rejected and never moves.
    const before = await snapshot(api.db.store);
    for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 'x', extra: 1 }]) {
      expect((await api.call('POST', `${V}/approvals/${gold.approval.id}/reject`, body, as.cai)).status).toBe(422);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
    const rejected = await api.call('POST', `${V}/approvals/${gold.approval.id}/reject`, { reason: '还能用 still usable' }, as.cai);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: '还能用 still usable', decisions: [{ decision: 'reject', by: 'cai', reason: '还能用 still usable' }] });
    expect((await api.call('GET', `${V}/scraps/${gold.id}`)).body).toMatchObject({ status: 'rejected', moves: [], approval: { status: 'rejected', rejectionReason: '还能用 still usable' } });
    expect((await audit('approval', gold.approval.id)).map((a) => [a.action, a.detail.reason])).toEqual([['approval.reject', '还能用 still usable']]);
    expect((await audit('scrap', gold.id)).map((a) => a.action)).toEqual(['stock.scrap.request', 'stock.scrap.reject']);
    await deactivate(big);
    await deactivate(any);
  });

  it('rejecting a purchase order returns it to draft with the reason; resubmitting starts a new run', async () => {
    const flow = await createFlow({ documentType: 'purchase-order', name: 'All orders', steps: [{ name: 'Manager', mode: 'any', approvers: [{ role: 'manager' }] }] });
    const id = await newOrder(1, 1);
    const first = (await api.call('POST', `${V}/purchase-orders/${id}/submit`, undefined, as.pia)).body.approval.id as number;
    const rejected = await api.call('POST', `${V}/approvals/${first}/reject`, { reason: 'wrong supplier' }, as.ben);
    expect(rejected.status).toBe(200);
    expect((await api.call('GET', `${V}/purchase-orders/${id}`)).body).toMatchObject({ status: 'draft', rejectedBy: ids.ben, rejectionReason: 'wrong supplier', approval: { id: first, status: 'rejected' } });
    const again = await api.call('POST', `${V}/purchase-orders/${id}/submit`, undefined, as.pia);
    expect(again.body.status).toBe('submitted');
    expect(again.body.approval.id).not.toBe(first);
    // Cancelling the order ends its pending run.
    expect((await api.call('POST', `${V}/purchase-orders/${id}/cancel`, { reason: 'not needed' }, as.pia)).status).toBe(200);
    expect((await api.call('GET', `${V}/approvals/${again.body.approval.id}`)).body.status).toBe('cancelled');
    expect((await inboxOf('amy')).some((i) => i.approval === again.body.approval.id)).toBe(false);
    await deactivate(flow);
  });

  it('the creator cannot approve their own document, even through a delegate', async () => {
    const flow = await createFlow({ documentType: 'inventory-adjustment', name: 'Managers', steps: [{ name: 'Any manager', mode: 'any', approvers: [{ role: 'manager' }] }] });
    const created = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 5 }] }, as.amy);
    expect(created.body.status).toBe('pending_approval');
    const approval = created.body.approval.id as number;
    expect((await inboxOf('amy')).some((i) => i.approval === approval)).toBe(false);
    const before = await snapshot(api.db.store);
    const self = await approve(approval, 'amy');
    expect(self.status).toBe(403);
    expect(self.body.detail).toContain('created');
    // amy delegates to cai; cai may still approve as himself, but not "on behalf of" amy.
    const delegation = await api.call('POST', `${V}/approvals/delegations`, { to: 'cai', startsOn: today, endsOn: inDays(2) }, as.amy);
    expect(delegation.status).toBe(201);
    const snap = await snapshot(api.db.store);
    expect((await approve(approval, 'cai', { onBehalfOf: 'amy' })).status).toBe(403);
    expect(await snapshot(api.db.store)).toEqual(snap);
    expect((await api.call('POST', `${V}/approvals/delegations/${delegation.body.id}/revoke`, undefined, as.amy)).status).toBe(200);
    expect(before.counts.approval_decisions).toBe(snap.counts.approval_decisions);
    const ok = await approve(approval, 'cai');
    expect(ok.status).toBe(200);
    expect(ok.body.status).toBe('approved');
    await deactivate(flow);
  });

  it('delegation while away: the delegate sees and signs the step, recorded on behalf of the delegator', async () => {
    const flow = await createFlow({
      documentType: 'inventory-adjustment', name: 'Countersign', steps: [{ name: 'Ben and Amy', mode: 'all', approvers: [{ user: 'amy' }, { user: 'ben' }] }],
    });
    const delegation = await api.call('POST', `${V}/approvals/delegations`, { to: 'cai', startsOn: today, endsOn: inDays(7), note: '出差 travelling' }, as.amy);
    expect(delegation.status).toBe(201);
    expect(delegation.body).toMatchObject({ from: 'amy', to: 'cai', active: true });
    // A delegation that starts tomorrow does not count today.
    expect((await api.call('POST', `${V}/approvals/delegations`, { to: 'cai', startsOn: inDays(1), endsOn: inDays(3) }, as.ben)).status).toBe(201);

    const created = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 7 }] }, as.dan);
    const approval = created.body.approval.id as number;
    const caiInbox = (await inboxOf('cai')).find((i) => i.approval === approval);
    expect(caiInbox).toMatchObject({ asSelf: false, onBehalfOf: ['amy'] });
    expect((await inboxOf('amy')).find((i) => i.approval === approval)).toMatchObject({ asSelf: true });
    // Not on behalf of ben: his delegation starts tomorrow.
    expect((await approve(approval, 'cai', { onBehalfOf: 'ben' })).status).toBe(403);

    const signed = await approve(approval, 'cai');
    expect(signed.status).toBe(200);
    expect(signed.body.decisions).toEqual([expect.objectContaining({ decision: 'approve', by: 'cai', onBehalfOf: 'amy' })]);
    expect(signed.body.steps[0].approvers[0]).toMatchObject({ user: 'amy', signedBy: 'cai', onBehalfOf: 'amy' });
    // amy is represented already: she cannot sign the same step herself.
    expect((await approve(approval, 'amy')).status).toBe(409);
    expect((await inboxOf('amy')).some((i) => i.approval === approval)).toBe(false);
    expect((await approve(approval, 'ben')).body.status).toBe('approved');
    expect((await api.call('GET', `${V}/inventory-adjustments/${created.body.id}`)).body.status).toBe('posted');
    const trail = await audit('approval', approval);
    expect(trail.map((a) => [a.action, a.userId, a.detail.onBehalfOf])).toEqual([['approval.approve', ids.cai, 'amy'], ['approval.approve', ids.ben, null]]);

    const mine = await api.call('GET', `${V}/approvals/delegations`, undefined, as.cai);
    expect(mine.body.items.filter((d: any) => d.revokedAt === null).map((d: any) => d.from).sort()).toEqual(['amy', 'ben']);
    await deactivate(flow);
  });

  it('editing a flow does not change approvals already started; withdraw takes a document back', async () => {
    const flow = await createFlow({ documentType: 'scrap', name: 'Scrap by amy', steps: [{ name: 'Amy', mode: 'any', approvers: [{ user: 'amy' }] }] });
    const first = await api.call('POST', `${V}/scraps`, { warehouse: 'W1', reason: 'expired', lines: [{ sku: 'BOLT', quantity: 1 }] }, as.dan);
    expect((await api.call('PATCH', `${V}/approvals/flows/${flow}`, { steps: [{ name: 'Ben', mode: 'any', approvers: [{ user: 'ben' }] }] })).status).toBe(200);
    const second = await api.call('POST', `${V}/scraps`, { warehouse: 'W1', reason: 'expired', lines: [{ sku: 'BOLT', quantity: 1 }] }, as.dan);
    expect((await approve(first.body.approval.id, 'ben')).status).toBe(403);
    expect((await approve(first.body.approval.id, 'amy')).body.status).toBe('approved');
    expect((await approve(second.body.approval.id, 'amy')).status).toBe(403);

    // Someone else cannot withdraw; the creator can, and the scrap is cancelled.
    expect((await api.call('POST', `${V}/approvals/${second.body.approval.id}/withdraw`, {}, as.pia)).status).toBe(403);
    const withdrawn = await api.call('POST', `${V}/approvals/${second.body.approval.id}/withdraw`, { reason: 'counted wrong' }, as.dan);
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.status).toBe('cancelled');
    expect((await api.call('GET', `${V}/scraps/${second.body.id}`)).body).toMatchObject({ status: 'cancelled', moves: [] });
    await deactivate(flow);
  });

  it('a pending document that takes out more than is there is refused at once (409, nothing written)', async () => {
    const flow = await createFlow({ documentType: 'scrap', name: 'Scraps', steps: [{ name: 'Amy', mode: 'any', approvers: [{ user: 'amy' }] }] });
    const before = await snapshot(api.db.store);
    const res = await api.call('POST', `${V}/scraps`, { warehouse: 'W1', reason: 'lost', lines: [{ sku: 'SILVER', quantity: 100000 }] }, as.dan);
    expect(res.status).toBe(409);
    expect(res.body.errors[0].field).toBe('lines.0.quantity');
    expect(await snapshot(api.db.store)).toEqual(before);

    // Stock that goes away while the scrap waits: the last signature is refused (409) and not recorded.
    const all = await onHand('SILVER');
    const pending = await api.call('POST', `${V}/scraps`, { warehouse: 'W1', reason: 'lost', lines: [{ sku: 'SILVER', quantity: 1 }] }, as.dan);
    expect(pending.body.status).toBe('pending_approval');
    expect((await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'SILVER', quantity: -all }] })).body.status).toBe('posted');
    const snap = await snapshot(api.db.store);
    const late = await approve(pending.body.approval.id, 'amy');
    expect(late.status).toBe(409);
    expect(late.body.type).toMatch(/insufficient-stock$/);
    expect(await snapshot(api.db.store)).toEqual(snap);
    expect((await api.call('POST', `${V}/approvals/${pending.body.approval.id}/reject`, { reason: 'nothing left' }, as.amy)).status).toBe(200);
    await deactivate(flow);
  });

  it('two approvers deciding at once complete a step and post once', async () => {
    const flow = await createFlow({ documentType: 'inventory-adjustment', name: 'Either', priority: 0, steps: [{ name: 'amy or ben', mode: 'any', approvers: [{ user: 'amy' }, { user: 'ben' }] }] });
    for (let round = 0; round < 3; round++) {
      const created = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 1 }] }, as.dan);
      const approval = created.body.approval.id as number;
      const results = await Promise.all([approve(approval, 'amy'), approve(approval, 'ben')]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
      expect(await documentMoves('BOLT', created.body.number)).toHaveLength(1);
      const decisions = (await api.call('GET', `${V}/approvals/${approval}`)).body.decisions;
      expect(decisions).toHaveLength(1);
    }
    // A countersign whose two signatures arrive together: both are taken, the step completes once.
    expect((await api.call('PATCH', `${V}/approvals/flows/${flow}`, { steps: [{ name: 'amy and ben', mode: 'all', approvers: [{ user: 'amy' }, { user: 'ben' }] }] })).status).toBe(200);
    for (let round = 0; round < 3; round++) {
      const created = await api.call('POST', `${V}/inventory-adjustments`, { warehouse: 'W1', lines: [{ sku: 'BOLT', quantity: 1 }] }, as.dan);
      const approval = created.body.approval.id as number;
      const results = await Promise.all([approve(approval, 'amy'), approve(approval, 'ben')]);
      expect(results.map((r) => r.status)).toEqual([200, 200]);
      expect(results.map((r) => r.body.status).sort()).toEqual(['approved', 'pending']);
      expect(await documentMoves('BOLT', created.body.number)).toHaveLength(1);
      const trail = await audit('approval', approval);
      expect(trail.map((a) => a.detail.completed).sort()).toEqual([false, true]);
    }
    await deactivate(flow);
  });

  it('bad input is a 4xx and writes nothing', async () => {
    const before = await snapshot(api.db.store);
    const flow = (body: unknown, headers?: Headers) => api.call('POST', `${V}/approvals/flows`, body, headers);
    const step = { name: 'S', mode: 'any', approvers: [{ user: 'amy' }] };
    const cases: Array<[Promise<{ status: number; body: any }>, number, string?]> = [
      [flow({ documentType: 'sales-order', name: 'x', steps: [step] }), 422, 'documentType'],
      [flow({ documentType: 'scrap', name: 'x', steps: [] }), 422, 'steps'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ user: 'nobody' }] }] }), 422, 'steps.0.approvers.0.user'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ role: 'boss' }] }] }), 422],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ role: 'clerk' }] }] }), 422, 'steps.0.approvers.0.role'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ user: 'pia' }] }] }), 422, 'steps.0.approvers.0.user'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ user: 'amy', role: 'manager' }] }] }), 422],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, approvers: [{ user: 'amy' }, { user: 'amy' }] }] }), 422, 'steps.0.approvers.1'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, mode: 'most' }] }), 422],
      [flow({ documentType: 'scrap', name: 'x', conditions: { amountAtLeast: 10, amountAtMost: 5 }, steps: [step] }), 422, 'conditions.amountAtMost'],
      [flow({ documentType: 'scrap', name: 'x', conditions: { amountAtLeast: 1.0000001 }, steps: [step] }), 422, 'conditions.amountAtLeast'],
      [flow({ documentType: 'scrap', name: 'x', conditions: { warehouses: ['NOPE'] }, steps: [step] }), 422, 'conditions.warehouses.0'],
      [flow({ documentType: 'scrap', name: 'x', steps: [{ ...step, condition: { warehouses: ['NOPE'] } }] }), 422, 'steps.0.condition.warehouses.0'],
      [flow({ documentType: 'scrap', name: 'x', steps: [step], extra: true }), 422],
      [flow({ documentType: 'scrap', name: 'x', steps: [step] }, as.pia), 403],
      [flow({ documentType: 'scrap', name: 'x', steps: [step] }, as.dan), 403],
      [api.call('PATCH', `${V}/approvals/flows/999999`, { name: 'y' }), 404],
      [api.call('POST', `${V}/approvals/999999/approve`), 404],
      [api.call('POST', `${V}/approvals/999999/reject`, { reason: 'r' }), 404],
      [api.call('POST', `${V}/approvals/abc/approve`), 422],
      [api.call('POST', `${V}/approvals/1/approve`, { comment: 'x', sneaky: 1 }), 422],
      [api.call('GET', `${V}/approvals/inbox`, undefined, as.dan), 403],
      [api.call('GET', `${V}/approvals/inbox`, undefined, as.pia), 403],
      [api.call('POST', `${V}/approvals/delegations`, { to: 'amy', startsOn: today, endsOn: inDays(1) }, as.amy), 422, 'to'],
      [api.call('POST', `${V}/approvals/delegations`, { to: 'nobody', startsOn: today, endsOn: inDays(1) }, as.amy), 422, 'to'],
      [api.call('POST', `${V}/approvals/delegations`, { to: 'ben', startsOn: inDays(3), endsOn: inDays(1) }, as.amy), 422, 'endsOn'],
      [api.call('POST', `${V}/approvals/delegations`, { to: 'ben', startsOn: '2026-02-30', endsOn: inDays(1) }, as.amy), 422, 'startsOn'],
      [api.call('POST', `${V}/approvals/delegations`, { to: 'ben', startsOn: today, endsOn: inDays(1) }, as.dan), 403],
      [api.call('POST', `${V}/approvals/delegations/999999/revoke`, undefined, as.amy), 404],
    ];
    for (const [i, [pending, status, field]] of cases.entries()) {
      const res = await pending;
      expect(res.status, `case ${i}: ${JSON.stringify(res.body)}`).toBe(status);
      if (field) expect(res.body.errors.map((e: any) => e.field), `case ${i}`).toContain(field);
    }
    expect(await snapshot(api.db.store)).toEqual(before);
  });

  it('lists flows in the order they are tried, and approvals of a document', async () => {
    const flows = await api.call('GET', `${V}/approvals/flows?documentType=scrap`);
    expect(flows.status).toBe(200);
    const priorities = flows.body.items.map((f: any) => f.priority);
    expect(priorities).toEqual([...priorities].sort((a: number, b: number) => a - b));
    expect((await api.call('GET', `${V}/approvals/flows`, undefined, as.amy)).status).toBe(200);
    expect((await api.call('GET', `${V}/approvals/flows`, undefined, as.dan)).status).toBe(403);
    const list = await api.call('GET', `${V}/approvals?documentType=scrap&status=rejected`);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((a: any) => a.documentType === 'scrap' && a.status === 'rejected')).toBe(true);
    const types = await api.call('GET', `${V}/approvals/document-types`);
    expect(types.body.items.map((t: any) => t.code)).toEqual(['purchase-order', 'inventory-adjustment', 'scrap']);
    const openapi = (await (await fetch(`${api.baseUrl}${V}/openapi.json`)).json()) as any;
    for (const path of ['/approvals/flows', '/approvals/flows/{id}', '/approvals/inbox', '/approvals/{id}/approve', '/approvals/{id}/reject', '/approvals/{id}/withdraw', '/approvals/delegations']) {
      expect(openapi.paths[`${V}${path}`], path).toBeDefined();
    }
    expect(openapi.paths[`${V}/approvals/{id}/reject`].post.requestBody.content['application/json'].schema.required).toContain('reason');
  });
});

describe('approval rules (pure)', () => {
  const fields = { number: 'PO-000001', amount: '5000000000', warehouse: 'W1', categories: ['hardware', 'precious'] };
  it('conditions: every given one must hold; amounts inclusive; categories match any line', () => {
    expect(conditionsHold(undefined, fields)).toBe(true);
    expect(conditionsHold({ amountAtLeast: '5000000000' }, fields)).toBe(true);
    expect(conditionsHold({ amountAtLeast: '5000000001' }, fields)).toBe(false);
    expect(conditionsHold({ amountAtMost: '5000000000' }, fields)).toBe(true);
    expect(conditionsHold({ amountAtMost: '4999999999' }, fields)).toBe(false);
    expect(conditionsHold({ warehouses: ['W2'] }, fields)).toBe(false);
    expect(conditionsHold({ categories: ['food', 'precious'] }, fields)).toBe(true);
    expect(conditionsHold({ categories: ['precious'], warehouses: ['W2'] }, fields)).toBe(false);
  });
  it('a countersign needs every entry, each signature fills one entry, skipped steps are passed over', () => {
    const step: StepSnapshot = { name: 's', mode: 'all', approvers: [{ role: 'manager' }, { userId: 7, username: 'ben' }, { role: 'manager' }], skipped: false };
    // ben (a manager) fills his own entry first, not a role entry.
    expect(entryFor(step, [], { id: 7, role: 'manager' })).toBe(1);
    const signatures = [{ decidedBy: 7, onBehalfOf: null, entry: 1 }];
    expect(entryFor(step, signatures, { id: 8, role: 'manager' })).toBe(0);
    expect(stepComplete(step, signatures)).toBe(false);
    const more = [...signatures, { decidedBy: 8, onBehalfOf: null, entry: 0 }];
    expect(entryFor(step, more, { id: 9, role: 'clerk' })).toBe(-1);
    expect(stepComplete(step, more)).toBe(false);
    expect(stepComplete(step, [...more, { decidedBy: 9, onBehalfOf: 10, entry: 2 }])).toBe(true);
    expect(stepComplete({ ...step, mode: 'any' }, signatures)).toBe(true);
    const steps = [step, { ...step, skipped: true }, step];
    expect(nextOpenStep(steps, 1)).toBe(2);
    expect(nextOpenStep(steps, 3)).toBe(-1);
  });
});
