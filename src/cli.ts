import { openStore } from './db/store.js';
import { migrateToLatest } from './db/migrate.js';
import { DEFAULT_DATABASE_URL } from './db/connect.js';
import { formatReport, verifyLedger } from './ledger/verify.js';
import { startApp } from './app/start.js';
import { VERSION } from './version.js';

const USAGE = `cangku ${VERSION}: one stock ledger for the whole company

usage: cangku <command>
  serve     start the API server (HOST, PORT, DATABASE_URL); migrates first
  migrate   bring the database schema up to date
  verify    check every ledger invariant; exit 1 with a report if one fails

DATABASE_URL: sqlite:PATH (default ${DEFAULT_DATABASE_URL}) or postgres://user@host:port/db`;

async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  switch (command) {
    case 'serve': {
      const port = Number(process.env.PORT ?? 8080);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${process.env.PORT}`);
      const running = await startApp({ databaseUrl, host: process.env.HOST ?? '127.0.0.1', port });
      const shown = running.url.replace('0.0.0.0', '127.0.0.1');
      console.log(`Cangku ${VERSION} listening on ${shown} (${running.store.describe})`);
      if (running.bootstrap.generatedPassword) {
        console.log(`Created company "default" and user "admin" with password: ${running.bootstrap.generatedPassword}`);
        console.log('This password is shown only once. Set CANGKU_ADMIN_PASSWORD to choose it yourself.');
      }
      const stop = async () => {
        await running.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return -1; // keep running
    }
    case 'migrate': {
      const store = openStore(databaseUrl);
      const applied = await migrateToLatest(store.read, store.dialect);
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      await store.close();
      return 0;
    }
    case 'verify': {
      const store = openStore(databaseUrl);
      await migrateToLatest(store.read, store.dialect);
      const report = await verifyLedger(store.read, store.dialect);
      console.log(formatReport(report));
      await store.close();
      return report.ok ? 0 : 1;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    default:
      console.error(`unknown command ${command}\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
