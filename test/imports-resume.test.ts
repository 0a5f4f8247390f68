import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type Running } from '../src/app/start.js';
import { openStore } from '../src/db/store.js';
import { claim } from '../src/modules/imports/resume.js';
import { ADMIN_PASSWORD, ENGINES, openTestDatabase, type TestDatabase } from './support/engines.js';

const ROWS = 2500; // three commit chunks of 1000: rows 2..1001, 1002..2001, 2002..2501
const header = 'sku,name,unit';
const line = (i: number) => `RES-${String(i).padStart(5, '0')},Resumed ${i},pcs`;

describe.each(ENGINES)('import commits resumed after a restart on %s', (engine) => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    dir = mkdtempSync(join(tmpdir(), 'cangku-import-resume-'));
    process.env.CANGKU_IMPORT_DIR = join(dir, 'uploads');
  });
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = () =>
    startApp({
      databaseUrl: db.url, host: '127.0.0.1', port: 0, logLevel: 'silent', adminPassword: ADMIN_PASSWORD,
      connect: db.schema ? { schema: db.schema } : { sqliteSynchronous: 'NORMAL' }, webhooks: false,
    });
  const client = async (running: Running) => {
    const login = await fetch(`${running.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
    const { token } = (await login.json()) as { token: string };
    const call = async (method: string, path: string, body?: string | object, contentType = 'application/json') => {
      const res = await fetch(running.url + path, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': contentType }) }, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as any };
    };
    const settle = async (id: number) => {
      for (;;) {
        const res = await call('GET', `/api/v1/imports/${id}`);
        if (!res.body.running && res.body.status !== 'validating' && res.body.status !== 'committing') return res.body;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return { call, settle };
  };
  const countResumed = async () => Number((await db.store.read.selectFrom('items').where('sku', 'like', 'RES-%').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  const distinctResumed = async () => Number((await db.store.read.selectFrom('items').where('sku', 'like', 'RES-%').select((eb) => eb.fn.count('sku').distinct().as('n')).executeTakeFirstOrThrow()).n);

  it('a commit left committing mid-file completes at its cursor, each row once, resumed by one server only', async () => {
    const first = await start();
    const { call, settle } = await client(first);
    // The whole file, validated while none of its items exist.
    const all = [header, ...Array.from({ length: ROWS }, (_, i) => line(i))].join('\n');
    const job = await call('POST', '/api/v1/imports?kind=items', all, 'text/csv');
    expect(job.status, JSON.stringify(job.body)).toBe(202);
    expect(await settle(job.body.id)).toMatchObject({ status: 'validated', progress: { rowsRead: ROWS, rowsInvalid: 0 } });
    // Its first chunk (file rows 2..1001) committed: written here by a job of just those rows.
    const head = await call('POST', '/api/v1/imports?kind=items&commit=all', [header, ...Array.from({ length: 1000 }, (_, i) => line(i))].join('\n'), 'text/csv');
    expect(await settle(head.body.id)).toMatchObject({ status: 'committed', progress: { rowsCommitted: 1000 } });
    await first.close();
    expect(await countResumed()).toBe(1000);

    // What a server that crashed after the first chunk leaves: committing, cursor at row 1001.
    await db.store.run((tx) => tx.updateTable('import_jobs')
      .set({ status: 'committing', mode: 'all', committed_through: 1001, rows_committed: 1000, updated_at: '2020-01-01T00:00:00.000Z' })
      .where('id', '=', job.body.id).execute());

    // Two servers start at once on the same database: one resumes it, the other leaves it be.
    const [second, third] = await Promise.all([start(), start()]);
    try {
      const { call: call2 } = await client(second);
      for (let i = 0; i < 300; i++) {
        const row = await db.store.read.selectFrom('import_jobs').select('status').where('id', '=', job.body.id).executeTakeFirstOrThrow();
        if (row.status !== 'committing') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const done = (await call2('GET', `/api/v1/imports/${job.body.id}`)).body;
      expect(done, JSON.stringify(done)).toMatchObject({ status: 'committed', mode: 'all', error: null, progress: { rowsCommitted: ROWS, committedThrough: ROWS + 1 } });
      expect(await countResumed()).toBe(ROWS);
      expect(await distinctResumed()).toBe(ROWS);
      // One commit per remaining chunk (1002..2001, 2002..2501): nothing was committed twice.
      const chunks = await db.store.read.selectFrom('audit_log').select('id')
        .where('action', '=', 'import.commit').where('target_id', '=', String(job.body.id)).execute();
      expect(chunks).toHaveLength(2);
    } finally {
      await Promise.all([second.close(), third.close()]);
    }
  });

  it('only one of two processes racing for the same left-over job claims it', async () => {
    const at = '2020-01-01T00:00:00.000Z';
    const row = await db.store.run((tx) => tx.insertInto('import_jobs').values({
      org_id: db.orgId, kind: 'items', format: 'csv', file_name: null, file_path: join(dir, 'missing.csv'), file_size: 0, options: '{}',
      status: 'committing', mode: 'all', error: null, columns: null, created_by: 1, created_at: at, updated_at: at, validated_at: at, committed_at: null,
    }).returning('id').executeTakeFirstOrThrow());
    const other = openStore(db.url, db.schema ? { schema: db.schema } : { sqliteSynchronous: 'NORMAL' });
    try {
      const cutoff = new Date().toISOString();
      const results = await Promise.all([claim(db.store, db.orgId, Number(row.id), cutoff), claim(other, db.orgId, Number(row.id), cutoff)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      // Once claimed it is fresh again: a later look finds nothing left over.
      expect(await claim(other, db.orgId, Number(row.id), at)).toBeUndefined();
    } finally {
      await other.close();
      await db.store.run((tx) => tx.deleteFrom('import_jobs').where('id', '=', row.id).execute());
    }
  });
});
