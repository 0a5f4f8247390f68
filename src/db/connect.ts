import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type { DB } from './schema.js';
import type { Dialect } from './dialect.js';

export interface Connection {
  db: Kysely<DB>;
  dialect: Dialect;
  /** Human description without credentials, for logs. */
  describe: string;
}

// int8 (bigint) as BigInt, exact; numeric stays text. Timestamps are stored as text, no parser needed.
pg.types.setTypeParser(20, (value: string) => BigInt(value));

export const DEFAULT_DATABASE_URL = 'sqlite:./data/cangku.db';

export interface ConnectOptions {
  /** PostgreSQL schema to use (tests isolate each suite in its own). */
  schema?: string;
  poolSize?: number;
  /** SQLite `synchronous` pragma; FULL (durable) unless told otherwise. */
  sqliteSynchronous?: 'FULL' | 'NORMAL' | 'OFF';
}

export function connect(url: string = DEFAULT_DATABASE_URL, options: ConnectOptions = {}): Connection {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
    });
    const safe = new URL(url);
    safe.password = '';
    return {
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      dialect: 'postgres',
      describe: `postgres ${safe.host}${safe.pathname}${options.schema ? ` (schema ${options.schema})` : ''}`,
    };
  }
  if (!url.startsWith('sqlite:')) {
    throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`);
  }
  const path = url.slice('sqlite:'.length);
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.defaultSafeIntegers(true); // quantities are scaled int64: never round-trip them through doubles
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.sqliteSynchronous ?? 'FULL'}`);
  sqlite.pragma('busy_timeout = 10000');
  sqlite.pragma('foreign_keys = ON');
  // Every command runs in a SAVEPOINT: keep its sub-journal (and sort b-trees) in memory, not in temp files.
  sqlite.pragma('temp_store = MEMORY');
  return {
    db: new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
    dialect: 'sqlite',
    describe: `sqlite ${path}`,
  };
}

/** How many distinct prepared statements to keep; queries are built from a bounded set of shapes. */
const STATEMENT_CACHE_SIZE = 2_000;

/**
 * Kysely prepares every query anew; SQLite then parses and plans the same SQL text again and again.
 * Reusing prepared statements by their text removes that work (one connection, used by one query at
 * a time, so a statement is never run twice at once). Least recently used statements are dropped.
 */
function withStatementCache(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string) {
      let statement = cache.get(text);
      if (statement) {
        cache.delete(text); // re-insert: Map order is recency
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}
