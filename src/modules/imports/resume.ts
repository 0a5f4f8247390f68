import type { Store } from '../../db/store.js';
import { num } from '../../db/schema.js';
import { nowIso } from '../../ledger/context.js';
import { jobKey, running } from './jobs.js';
import { settled, startInBackground } from './run.js';

export interface ImportResumerOptions {
  /**
   * A committing job whose row has not moved for this long is taken as left by a stopped server
   * (a live commit touches `updated_at` every chunk). Default 2 minutes.
   */
  staleMs?: number;
  /** Pause between looks (default 30 s): a job left by a server that stopped just now is stale later. */
  intervalMs?: number;
  /** Where a failed resume is reported (the server's logger). */
  log?: { error(object: unknown, message: string): void };
}

export interface ImportResumer {
  /** No further job is claimed; the one running stops after its chunk (still resumable) and is awaited. */
  stop(): Promise<void>;
}

/**
 * From server start on, every `intervalMs`: resume, one at a time, each import commit a stopped server left `committing`,
 * at its cursor and with its mode (the same commit as POST /imports/{id}/commit). Each job is
 * claimed first with one conditional update that only one server process can win.
 */
export function startImportResumer(store: Store, options: ImportResumerOptions = {}): ImportResumer {
  const { staleMs = 120_000, intervalMs = 30_000, log } = options;
  const stopping = new AbortController();
  let current: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const pass = async () => {
    const cutoff = new Date(Date.now() - staleMs).toISOString();
    const jobs = await store.read.selectFrom('import_jobs')
      .select(['org_id', 'id']).where('status', '=', 'committing').where('updated_at', '<=', cutoff)
      .orderBy('id').execute();
    for (const { org_id, id } of jobs) {
      if (stopping.signal.aborted) return;
      const orgId = num(org_id);
      const jobId = num(id);
      if (running.has(jobKey(orgId, jobId))) continue;
      const claimed = await claim(store, orgId, jobId, cutoff);
      if (!claimed) continue; // another server took it, or it moved on meanwhile
      const user = await store.read.selectFrom('users').select(['id', 'username', 'role'])
        .where('org_id', '=', orgId).where('id', '=', claimed.createdBy).executeTakeFirst();
      // The commit goes on as the user who started it (it was authorized then).
      const actor = { orgId, userId: claimed.createdBy, username: user?.username ?? 'system', role: user?.role ?? 'admin', requestId: `import-resume-${jobId}` };
      startInBackground({ store, actor }, jobId, 'commit', undefined, stopping.signal);
      current = settled(orgId, jobId);
      await current;
      current = undefined;
    }
  };
  let turn: Promise<void> | undefined;
  const look = () => {
    turn = pass()
      .catch((error: unknown) => {
        if (!stopping.signal.aborted) log?.error({ err: error }, 'resuming import commits failed');
      })
      .finally(() => {
        turn = undefined;
        if (stopping.signal.aborted) return;
        timer = setTimeout(look, intervalMs);
        timer.unref();
      });
  };
  look();

  return {
    async stop() {
      stopping.abort();
      if (timer) clearTimeout(timer);
      await current;
      await turn;
    },
  };
}

/** Take a left-over committing job: only the process whose update matches the row it saw wins. */
export async function claim(store: Store, orgId: number, jobId: number, cutoff: string) {
  return store.run(async (tx) => {
    const job = await tx.selectFrom('import_jobs').select(['status', 'updated_at', 'created_by'])
      .where('org_id', '=', orgId).where('id', '=', jobId).executeTakeFirst();
    if (!job || job.status !== 'committing' || job.updated_at > cutoff) return undefined;
    const updated = await tx.updateTable('import_jobs').set({ updated_at: nowIso() })
      .where('org_id', '=', orgId).where('id', '=', jobId).where('status', '=', 'committing').where('updated_at', '=', job.updated_at)
      .executeTakeFirst();
    return updated.numUpdatedRows === 1n ? { createdBy: num(job.created_by) } : undefined;
  });
}
