import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './dialect.js';
import { ledgerMigration } from './migrations/0001_ledger.js';
import { settingsMigration } from './migrations/0002_settings.js';
import { procurementMigration } from './migrations/0003_procurement.js';
import { transfersMigration } from './migrations/0004_transfers.js';
import { countsMigration } from './migrations/0005_counts.js';
import { openLayersMigration } from './migrations/0006_open_layers.js';
import { returnsMigration } from './migrations/0007_returns.js';
import { shippingMigration } from './migrations/0008_shipping.js';
import { salesOrdersMigration } from './migrations/0009_sales_orders.js';
import { pickingMigration } from './migrations/0010_picking.js';
import { webhooksMigration } from './migrations/0011_webhooks.js';
import { importsMigration } from './migrations/0012_imports.js';
import { usersMigration } from './migrations/0013_users.js';
import { approvalsMigration } from './migrations/0014_approvals.js';
import { reorderMigration } from './migrations/0015_reorder.js';
import { itemNameIndexMigration } from './migrations/0016_item_name_index.js';

/** The one list of migrations, for both engines, in order. */
function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_ledger': ledgerMigration(dialect),
    '0002_settings': settingsMigration(dialect),
    '0003_procurement': procurementMigration(dialect),
    '0004_transfers': transfersMigration(dialect),
    '0005_counts': countsMigration(dialect),
    '0006_open_layers': openLayersMigration(),
    '0007_returns': returnsMigration(dialect),
    '0008_shipping': shippingMigration(dialect),
    '0009_sales_orders': salesOrdersMigration(dialect),
    '0010_picking': pickingMigration(dialect),
    '0011_webhooks': webhooksMigration(dialect),
    '0012_imports': importsMigration(dialect),
    '0013_users': usersMigration(dialect),
    '0014_approvals': approvalsMigration(dialect),
    '0015_reorder': reorderMigration(dialect),
    '0016_item_name_index': itemNameIndexMigration(),
  };
}

export async function migrateToLatest(db: Kysely<any>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrations(dialect) };
  // Kysely looks for its own bookkeeping tables in every schema unless told which one is ours.
  const schema = dialect === 'postgres' ? (await sql<{ s: string }>`SELECT current_schema() AS s`.execute(db)).rows[0]?.s : undefined;
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
