import { parseArgs } from 'node:util';
import { openStore } from './db/store.js';
import { migrateToLatest } from './db/migrate.js';
import { DEFAULT_DATABASE_URL } from './db/connect.js';
import { formatReport, verifyLedger } from './ledger/verify.js';
import { startApp } from './app/start.js';
import { createCompany, listCompanies } from './app/companies.js';
import { DomainError } from './core/errors.js';
import { VERSION } from './version.js';

const USAGE = `cangku ${VERSION}: one stock ledger for the whole company

usage: cangku <command>
  serve     start the API server (HOST, PORT, DATABASE_URL); migrates first
  migrate   bring the database schema up to date
  verify    check every ledger invariant; exit 1 with a report if one fails
  company add <code> [--name <name>]
            create a company with its own user "admin"; prints the admin's password once
  company list
            the companies: code, name, number of users

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
    case 'company':
      return company(argv.slice(1), databaseUrl);
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

/** `company add|list`: companies are created by the operator, never through the API (docs/security.md). */
async function company(args: string[], databaseUrl: string): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { name: { type: 'string' } } });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const [sub, code, ...extra] = parsed.positionals;
  if (sub === 'add' && code !== undefined && extra.length === 0) {
    const store = openStore(databaseUrl);
    try {
      await migrateToLatest(store.read, store.dialect);
      const created = await createCompany(store, { code, name: parsed.values.name });
      console.log(`Created company "${created.code}" (${created.name}) and user "admin" with password: ${created.generatedPassword}`);
      console.log('This password is shown only once. Log in with company code ' + JSON.stringify(created.code) + '.');
      return 0;
    } catch (error) {
      // Bad code or name, or a taken code: say so plainly, exit 1.
      if (error instanceof DomainError) {
        console.error(`cannot create company: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      await store.close();
    }
  }
  if (sub === 'list' && code === undefined && parsed.values.name === undefined) {
    const store = openStore(databaseUrl);
    try {
      await migrateToLatest(store.read, store.dialect);
      const rows = [['CODE', 'NAME', 'USERS', 'CREATED'], ...(await listCompanies(store)).map((c) => [c.code, c.name, String(c.users), c.createdAt])];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) console.log(r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '));
      return 0;
    } finally {
      await store.close();
    }
  }
  console.error(`usage: cangku company add <code> [--name <name>] | cangku company list\n\n${USAGE}`);
  return 2;
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
