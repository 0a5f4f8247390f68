import { it } from 'vitest';
import { openTestDatabase, ENGINES } from '../support/engines.js';
import { createItem } from '../../src/modules/items/service.js';
import { createWarehouse } from '../../src/modules/warehouses/service.js';
import { postAdjustment } from '../../src/modules/adjustments/service.js';
import { stockLevels } from '../../src/modules/stock/service.js';

for (const engine of ENGINES) it(`probe ${engine}`, async () => {
  const t0 = Date.now();
  const db = await openTestDatabase(engine);
  console.log(engine, 'open ms', Date.now() - t0);
  const ctx = { store: db.store, actor: { orgId: db.orgId, userId: 1, username: 'admin', role: 'admin', requestId: 'test' } };
  await createItem(ctx, { sku: 'A', name: 'A', unit: 'pc' });
  await createWarehouse(ctx, { code: 'W', name: 'W' });
  try {
    const r = await postAdjustment(ctx, { warehouse: 'W', lines: [{ sku: 'A', quantity: 5 }, { sku: 'A', quantity: -3 }] });
    console.log('ok', JSON.stringify(r.body.lines));
  } catch (e) { console.log('error', (e as any).code, (e as Error).message); }
  console.log(JSON.stringify(await stockLevels(ctx, {})));
  const t1 = Date.now();
  await db.close();
  console.log(engine, 'close ms', Date.now() - t1);
});
