import {
  PostgresQueryCompiler,
  SqliteQueryCompiler,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { Store, Tx } from '../src/db/store.js';

/**
 * Counts the SQL statements a service issues, deterministically (unlike timings on a shared
 * machine): a Kysely plugin sees every query that is executed through the wrapped store, builder
 * or raw `sql`, and records its SQL text. Used by `npm run bench -- --only=statements` and by
 * test/sales-statements.test.ts.
 *
 * Not seen: the store's own transaction statements around each command (SQLite: SAVEPOINT and
 * RELEASE per command, BEGIN IMMEDIATE / COMMIT per group commit; PostgreSQL: BEGIN and COMMIT).
 */
export interface StatementLog {
  /** SQL text of every statement executed so far, in order. */
  readonly statements: string[];
  /** Forget what was recorded (call before the command to measure). */
  reset(): void;
}

class StatementCounter implements KyselyPlugin {
  readonly statements: string[] = [];
  private readonly pending = new WeakMap<object, RootOperationNode | string>();
  constructor(private readonly compiler: SqliteQueryCompiler | PostgresQueryCompiler) {}

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.pending.set(args.queryId, args.node);
    return args.node;
  }

  /** An already compiled query run with `executeQuery` (plugins never see its node). */
  compiled(query: { queryId: object; sql: string }): void {
    this.pending.set(query.queryId, query.sql);
  }

  // Called once per executed query (not for queries only compiled), after it ran.
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const known = this.pending.get(args.queryId);
    this.statements.push(known === undefined ? '?' : typeof known === 'string' ? known : this.compiler.compileQuery(known, args.queryId).sql);
    return args.result;
  }
}

/** `db` with the counter, also told the SQL of compiled queries passed to `executeQuery`. */
function withCounter(db: Tx, counter: StatementCounter): Tx {
  const plugged = db.withPlugin(counter);
  return new Proxy(plugged, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'executeQuery') {
        return (query: Parameters<Tx['executeQuery']>[0], ...rest: unknown[]) => {
          if ('sql' in query) counter.compiled(query);
          return (target.executeQuery as (...args: unknown[]) => unknown)(query, ...rest);
        };
      }
      // Kysely's classes keep private fields: their methods must run on the real instance.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The same store, recording every statement its commands and reads execute. */
export function countStatements(store: Store): { store: Store; log: StatementLog } {
  const counter = new StatementCounter(store.dialect === 'sqlite' ? new SqliteQueryCompiler() : new PostgresQueryCompiler());
  const read = withCounter(store.read, counter);
  const counted: Store = {
    dialect: store.dialect,
    read,
    describe: store.describe,
    get retries() {
      return store.retries;
    },
    run: <T>(command: (tx: Tx) => Promise<T>) => store.run((tx) => command(withCounter(tx, counter))),
    close: () => store.close(),
  };
  return { store: counted, log: { statements: counter.statements, reset: () => void counter.statements.splice(0) } };
}
