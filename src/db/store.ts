import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.js';
import type { Dialect } from './dialect.js';
import { connect, type ConnectOptions } from './connect.js';
import { DomainError } from '../core/errors.js';

export type Tx = Kysely<DB>;

/**
 * The storage engine as the services see it: `read` for queries, `run` for commands. `run` gives
 * every command its own transaction (on SQLite its own savepoint inside a group commit) and maps
 * engine-level uniqueness violations to a 409 `conflict`.
 *
 * A command's function must only talk to the database through the Tx it is given and must not
 * call `run` again (on SQLite the nested call would wait for the batch it is part of).
 */
export interface Store {
  readonly dialect: Dialect;
  readonly read: Kysely<DB>;
  run<T>(command: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  readonly describe: string;
  /** Transactions retried after a deadlock or serialization failure (should stay 0). */
  readonly retries: number;
}

/** At most this many commands share one durable SQLite commit. */
export const MAX_GROUP_COMMIT = 256;

export function openStore(url?: string, options: ConnectOptions = {}): Store {
  const connection = connect(url, options);
  return connection.dialect === 'sqlite'
    ? new SqliteStore(connection.db, connection.describe)
    : new PostgresStore(connection.db, connection.describe);
}

interface Job {
  command: (tx: Tx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * SQLite has one writer. Commands queue up and are executed back to back inside one
 * `BEGIN IMMEDIATE ... COMMIT`, each in its own savepoint (a failing command rolls back only
 * itself). Nobody is answered before the batch's durable commit, so an acknowledged command
 * survives a power loss; one fsync serves the whole batch (group commit).
 */
class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly retries = 0;
  private queue: Job[] = [];
  private draining = false;
  constructor(readonly read: Kysely<DB>, readonly describe: string) {}

  run<T>(command: (tx: Tx) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ command, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // Not now: the batch would run to its COMMIT before any other request is even read.
        setImmediate(() => void this.drain());
      }
    });
  }

  /**
   * better-sqlite3 is synchronous, so a batch runs from BEGIN to COMMIT without the event loop
   * turning. Cutting each batch on a fresh turn (setImmediate, after I/O) lets the requests that
   * arrived meanwhile, and the callers just answered, join it: that is what makes it a group commit.
   */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_GROUP_COMMIT);
        await this.runBatch(batch);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Job[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      await this.read.connection().execute(async (conn) => {
        await sql`BEGIN IMMEDIATE`.execute(conn);
        try {
          for (const job of batch) {
            await sql`SAVEPOINT command`.execute(conn);
            try {
              const value = await job.command(conn);
              await sql`RELEASE command`.execute(conn);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await sql`ROLLBACK TO command`.execute(conn);
              await sql`RELEASE command`.execute(conn);
              outcomes.push({ ok: false, error: mapEngineError(error) });
            }
          }
          await sql`COMMIT`.execute(conn);
        } catch (error) {
          await sql`ROLLBACK`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      for (const job of batch) job.reject(mapEngineError(error));
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }

  async close(): Promise<void> {
    while (this.draining || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    await this.read.destroy();
  }
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/** PostgreSQL: one pooled transaction per command; row locks are taken in a fixed order. */
class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  retries = 0;
  constructor(readonly read: Kysely<DB>, readonly describe: string) {}

  async run<T>(command: (tx: Tx) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.read.transaction().execute((tx) => command(tx));
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Locks are ordered so deadlocks should not happen; retrying keeps a rare one invisible.
        if (code && RETRYABLE.has(code) && attempt < 3) {
          this.retries++;
          continue;
        }
        throw mapEngineError(error);
      }
    }
  }

  async close(): Promise<void> {
    await this.read.destroy();
  }
}

/** Uniqueness violations that slipped past a service's own check become 409 conflict. */
export function mapEngineError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const e = error as { code?: string; message?: string };
  if (e.code === '23505' || e.code === 'SQLITE_CONSTRAINT_UNIQUE' || e.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    return new DomainError('conflict', 'a record with the same key already exists');
  }
  return error;
}
