import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { cpus, platform, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { bootstrap } from '../src/app/bootstrap.js';
import type { ServiceContext } from '../src/app/context.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { num } from '../src/db/schema.js';
import { openStore, type Store, type Tx } from '../src/db/store.js';
import { buildServer } from '../src/http/server.js';

// ---- output: stdout carries only the JSON lines; everything a human watches goes to stderr.

export function progress(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

export function emit(record: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(record, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)) + '\n');
}

// ---- timing and statistics (milliseconds throughout)

export const now = (): number => performance.now();

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));

export interface LatencySummary {
  n: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of ascending samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, v) => sum + v, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] ?? Number.NaN),
    mean: round(mean),
  };
}

/**
 * Run `task` from `concurrency` loops until `total` tasks have started or `durationMs` has passed,
 * whichever comes first. Returns how many completed and the wall time they took.
 */
export async function runConcurrent(
  options: { concurrency: number; total?: number; durationMs?: number },
  task: (index: number) => Promise<void>,
): Promise<{ completed: number; seconds: number }> {
  const total = options.total ?? Number.POSITIVE_INFINITY;
  const deadline = options.durationMs === undefined ? Number.POSITIVE_INFINITY : now() + options.durationMs;
  let started = 0;
  let completed = 0;
  const t0 = now();
  const loop = async () => {
    while (started < total && now() < deadline) {
      const index = started++;
      await task(index);
      completed++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  return { completed, seconds: (now() - t0) / 1000 };
}

export interface Interval {
  start: number;
  end: number;
}

/** GC pauses while `body` runs: tells a latency tail caused by GC from one caused by anything else. */
export async function withGcPauses<T>(body: () => Promise<T>): Promise<{ result: T; pauses: Interval[] }> {
  const pauses: Interval[] = [];
  const collect = (entries: PerformanceEntry[]) => {
    for (const e of entries) pauses.push({ start: e.startTime, end: e.startTime + e.duration });
  };
  const observer = new PerformanceObserver((list) => collect(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await body();
    await new Promise((resolve) => setImmediate(resolve)); // entries are delivered asynchronously
    collect(observer.takeRecords());
    return { result, pauses };
  } finally {
    observer.disconnect();
  }
}

// ---- deterministic data

/** mulberry32: every run writes the same data in the same order. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const randomInt = (next: () => number, below: number): number => Math.floor(next() * below);

export const sku = (i: number): string => `SKU-${String(i).padStart(5, '0')}`;

// ---- machine and disk

export function machine() {
  const cpu = cpus();
  return { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, os: `${platform()} ${release()}`, code: codeVersion() };
}

/** The commit measured, and whether src/ differed from it: figures are only comparable per code version. */
function codeVersion(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--', 'src') ? ' (src modified)' : ''}`;
  } catch {
    return 'unknown';
  }
}

export function sqliteVersion(): string {
  const db = new Database(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/**
 * Latency of tiny durable commits (one row, WAL, synchronous=FULL) on the bench's disk right now:
 * the floor under every commit, and the figure that moves most between runs on shared machines.
 */
export function probeCommitLatency(file: string, commits = 200): LatencySummary {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, at TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (at) VALUES (?)');
    const commit = db.transaction(() => insert.run(new Date().toISOString()));
    const ms: number[] = [];
    for (let i = 0; i < commits; i++) {
      const t0 = now();
      commit.immediate();
      ms.push(now() - t0);
    }
    return summarize(ms);
  } finally {
    db.close();
  }
}

// ---- databases and servers

export interface TempDir {
  dir: string;
  file(name: string): string;
  cleanup(): void;
}

export function makeTempDir(): TempDir {
  const dir = mkdtempSync(join(tmpdir(), 'cangku-bench-'));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CommitStats {
  commands: number;
  /** Durable commits (group-commit batches). */
  batches: number;
}

/**
 * The same store, counting commands and the durable commits they shared. The SQLite store hands
 * each batch a fresh connection-bound Kysely, so a command seeing a new `tx` starts a new commit.
 */
export function countCommits(store: Store): { store: Store; stats: CommitStats } {
  const stats: CommitStats = { commands: 0, batches: 0 };
  let lastTx: Tx | undefined;
  const counted: Store = {
    dialect: store.dialect,
    read: store.read,
    describe: store.describe,
    get retries() {
      return store.retries;
    },
    run: <T>(command: (tx: Tx) => Promise<T>) =>
      store.run((tx) => {
        stats.commands++;
        if (tx !== lastTx) {
          lastTx = tx;
          stats.batches++;
        }
        return command(tx);
      }),
    close: () => store.close(),
  };
  return { store: counted, stats };
}

export const BENCH_PASSWORD = 'bench-admin-password';

export interface BenchStore {
  /** The project's store, wrapped by countCommits. */
  store: Store;
  commits: CommitStats;
  orgId: number;
  /** The admin user, acting in service calls. */
  userId: number;
  ctx: ServiceContext;
}

/** The project's store on `file`, migrated and bootstrapped, as in production: WAL, synchronous=FULL. */
export async function openDurableStore(file: string): Promise<BenchStore> {
  const { store, stats } = countCommits(openStore(`sqlite:${file}`, { sqliteSynchronous: 'FULL' }));
  await migrateToLatest(store.read, store.dialect);
  const { orgId } = await bootstrap(store, BENCH_PASSWORD);
  const admin = await store.read.selectFrom('users').select('id').where('org_id', '=', orgId).where('username', '=', 'admin').executeTakeFirstOrThrow();
  const userId = num(admin.id);
  const ctx: ServiceContext = { store, actor: { orgId, userId, username: 'admin', role: 'admin', requestId: 'bench' } };
  return { store, commits: stats, orgId, userId, ctx };
}

export interface BenchServer {
  baseUrl: string;
  /** Bearer token of the admin, from POST /auth/login. */
  token: string;
  /** One JSON call as admin (for setting up); throws unless the answer has the expected status. */
  call<T>(method: string, path: string, body: unknown, expect: number): Promise<T>;
  close(): Promise<void>;
}

/** The real HTTP server (buildServer + listen on a free port, silent logs) over a bench store. */
export async function startServer(bench: BenchStore): Promise<BenchServer> {
  const server = buildServer({ store: bench.store, logLevel: 'silent' });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = server.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  let token = '';
  const call = async <T>(method: string, path: string, body: unknown, expect: number): Promise<T> => {
    const res = await fetch(`${baseUrl}/api/v1${path}`, {
      method,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status !== expect) throw new Error(`${method} ${path}: expected ${expect}, got ${res.status} ${text.slice(0, 300)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  token = (await call<{ token: string }>('POST', '/auth/login', { username: 'admin', password: BENCH_PASSWORD }, 200)).token;
  return { baseUrl, token, call, close: () => server.app.close() };
}

/**
 * Machine-wide CPU use while a bench runs (Linux /proc/stat; undefined elsewhere), beside this
 * process's own: on a shared machine, other work skews every figure, so each record carries it.
 */
export function cpuMeter(): () => { machineBusyCores: number; benchProcessCores: number } | undefined {
  const sample = (): { busy: number; total: number } | undefined => {
    try {
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
      const total = fields.reduce((a, b) => a + b, 0);
      return { busy: total - (fields[3] ?? 0) - (fields[4] ?? 0), total }; // minus idle and iowait
    } catch {
      return undefined;
    }
  };
  const start = sample();
  const own0 = process.cpuUsage();
  const t0 = now();
  return () => {
    const end = sample();
    if (!start || !end || end.total === start.total) return undefined;
    const own = process.cpuUsage(own0);
    const cores = cpus().length;
    return {
      machineBusyCores: round(((end.busy - start.busy) / (end.total - start.total)) * cores, 2),
      benchProcessCores: round((own.user + own.system) / 1000 / (now() - t0), 2),
    };
  };
}
