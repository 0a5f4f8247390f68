import { it } from 'vitest';
import { openTestDatabase, ENGINES } from '../support/engines.js';
import { createItem } from '../../src/modules/items/service.js';
import { createWarehouse } from '../../src/modules/warehouses/service.js';
import { postAdjustment } from '../../src/modules/adjustments/service.js';
import { stockLevels } from '../../src/modules/stock/service.js';

for (const engine of ENGINES) it(`probe ${engine}`, async () => {
  const db = await openTestDatabase(engine);
  const ctx = { store: db.store, actor: { orgId: db.orgId, userId: 1, username: 'admin', role: 'admin', requestId: 'test' } };
  await createItem(ctx, { sku: 'A', name: 'A', unit: 'pc', unitPrecision: 6 });
  await createWarehouse(ctx, { code: 'W', name: 'W' });
  for (const [q, c] of [[12345678901.000001, undefined], [10_000_000, 10_000_000]] as const) {
  try {
    const r = await postAdjustment(ctx, { warehouse: 'W', lines: [{ sku: 'A', quantity: q, unitCost: c }] });
    console.log(engine, 'ok', JSON.stringify(r.body.lines));
  } catch (e) { console.log(engine, 'error', (e as any).code, (e as Error).constructor.name, (e as Error).message); }
  }
  console.log(JSON.stringify(await stockLevels(ctx, {})));
  await db.close();
});
