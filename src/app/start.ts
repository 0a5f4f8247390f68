import { openStore, type Store } from '../db/store.js';
import { migrateToLatest } from '../db/migrate.js';
import { DEFAULT_DATABASE_URL, type ConnectOptions } from '../db/connect.js';
import { buildServer, type Server } from '../http/server.js';
import { bootstrap, type BootstrapResult } from './bootstrap.js';
import { startWebhookWorker, type WebhookWorkerOptions } from '../modules/webhooks/worker.js';
import { startImportResumer, type ImportResumerOptions } from '../modules/imports/resume.js';

export interface Running {
  store: Store;
  server: Server;
  url: string;
  bootstrap: BootstrapResult;
  close(): Promise<void>;
}

/** Open the database, migrate, create the first company and admin if empty, and listen. */
export async function startApp(options: {
  databaseUrl?: string;
  host?: string;
  port?: number;
  logLevel?: string;
  adminPassword?: string;
  connect?: ConnectOptions;
  /** The webhook delivery worker (docs/webhooks.md); `false` runs the server without it. */
  webhooks?: WebhookWorkerOptions | false;
  /** Resuming import commits a stopped server left committing (docs/import-export.md); `false` skips it. */
  imports?: ImportResumerOptions | false;
}): Promise<Running> {
  const store = openStore(options.databaseUrl ?? DEFAULT_DATABASE_URL, options.connect);
  await migrateToLatest(store.read, store.dialect);
  const boot = await bootstrap(store, options.adminPassword);
  const server = buildServer({ store, logLevel: options.logLevel });
  const url = await server.app.listen({ host: options.host ?? '127.0.0.1', port: options.port ?? 8080 });
  const webhooks = options.webhooks === false ? undefined : startWebhookWorker(store, { log: server.app.log, ...options.webhooks });
  const imports = options.imports === false ? undefined : startImportResumer(store, { log: server.app.log, ...options.imports });
  return {
    store,
    server,
    url,
    bootstrap: boot,
    async close() {
      await webhooks?.stop(); // before the store closes: a turn may be writing its delivery log
      await imports?.stop(); // likewise: a resumed commit finishes its chunk
      await server.app.close();
      await store.close();
    },
  };
}
