/**
 * `npm run bench`: every benchmark on embedded SQLite (WAL, synchronous=FULL) in a temp directory,
 * in one run, side by side. stdout: one JSON object per line (machine, one line per figure, then a
 * summary with ratios and goals); progress on stderr. See docs/performance.md.
 *
 *   npm run -s bench                  full run (about 1.5 minutes on the reference machine)
 *   npm run -s bench -- --quick       small counts, to check the suite works
 *   npm run -s bench -- --only=engine_limit,ledger_post
 *   npm run -s bench -- --only=flash_sale
 *   npm run -s bench -- --only=statements --sql   SQL statements per sales-order command, with their text
 *
 * (-s keeps npm's own banner off stdout.)
 */
import { loadavg } from 'node:os';
import { benchEngineLimit, type EngineResult } from './engine-limit.js';
import { benchLedgerPost, type LedgerPostResult } from './ledger-post.js';
import { HTTP_SCENARIOS, benchHttpConfirm, type HttpConfirmResult } from './http-confirm.js';
import { benchStockQuery, type StockQueryResult } from './stock-query.js';
import { benchFlashSale, type FlashSaleResult } from './flash-sale.js';
import { benchStatements, type StatementsResult } from './statements.js';
import { cpuMeter, emit, machine, makeTempDir, probeCommitLatency, progress, round, sqliteVersion, type TempDir } from './support.js';

const BENCHES = ['engine_limit', 'ledger_post', 'http_confirm', 'stock_query', 'flash_sale', 'statements'] as const;
type BenchName = (typeof BENCHES)[number];

const quick = process.argv.includes('--quick');
const isBench = (name: string): name is BenchName => (BENCHES as readonly string[]).includes(name);
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
for (const name of only ?? []) if (!isBench(name)) progress(`unknown benchmark ${name} (known: ${BENCHES.join(', ')})`);
const selected = new Set<BenchName>(only ? only.filter(isBench) : BENCHES);

/** Counts: the full run stays well within 5 minutes on the reference machine; --quick is a smoke test. */
const SIZE = quick
  ? {
      engine: { singlePostings: 200, batchedPostings: 5_000, repeats: 1, maxMs: 10_000 },
      ledger: [{ inFlight: 256, warmup: 512, postings: 3_000 }, { inFlight: 1, warmup: 20, postings: 200 }],
      http: { clients: 64, warmupOrders: 64, orders: 300 },
      stock: { rounds: 25, items: 1_000, warmup: 50, samples: 300 },
      flash: { clients: 64, warmupOrders: 64, orders: 1_000, skus: 20 },
    }
  : {
      engine: { singlePostings: 2_000, batchedPostings: 30_000, repeats: 3, maxMs: 20_000 },
      ledger: [{ inFlight: 256, warmup: 2_560, postings: 30_000 }, { inFlight: 1, warmup: 100, postings: 2_000 }],
      http: { clients: 64, warmupOrders: 400, orders: 4_000 },
      stock: { rounds: 250, items: 1_000, warmup: 200, samples: 3_000 },
      flash: { clients: 64, warmupOrders: 400, orders: 10_000, skus: 20 },
    };
const LEDGER_MAX_MS = 30_000;

/** Goals from the brief; reported, never asserted. */
const GOAL = { ledgerVsEngine: 0.25, ordersPerSecond: 3_000, p99Ms: 50, stockP99Ms: 5, flashOversold: 0 };

interface Figures {
  engine?: EngineResult[];
  ledger?: LedgerPostResult[];
  http?: HttpConfirmResult[];
  stock?: StockQueryResult[];
  flash?: FlashSaleResult;
  statements?: StatementsResult[];
}

/** Conditions a bench ran under: the disk's durable-commit latency just before, and CPU use during. */
async function measured<T>(temp: TempDir, name: string, bench: () => Promise<T>) {
  const { p50, p99 } = probeCommitLatency(temp.file(`probe-${name}.db`));
  const meter = cpuMeter();
  const result = await bench();
  return { result, conditions: { diskCommitMs: { p50, p99 }, cpu: meter() } };
}

async function runAll(temp: TempDir): Promise<Figures> {
  const figures: Figures = {};
  if (selected.has('engine_limit')) {
    const { result, conditions } = await measured(temp, 'engine', () => benchEngineLimit(temp, SIZE.engine));
    figures.engine = result;
    for (const r of result) emit({ bench: 'engine_limit', ...r, ...conditions });
  }
  if (selected.has('ledger_post')) {
    const { result, conditions } = await measured(temp, 'ledger', () => benchLedgerPost(temp, SIZE.ledger, LEDGER_MAX_MS));
    figures.ledger = result;
    for (const r of result) emit({ bench: 'ledger_post', ...r, ...conditions });
  }
  if (selected.has('http_confirm')) {
    figures.http = [];
    for (const scenario of HTTP_SCENARIOS) {
      const { result, conditions } = await measured(temp, `http-${scenario}`, () => benchHttpConfirm(temp, scenario, SIZE.http));
      figures.http.push(result);
      emit({ bench: 'http_confirm', ...result, ...conditions });
    }
  }
  if (selected.has('stock_query')) {
    const { result, conditions } = await measured(temp, 'stock', () => benchStockQuery(temp, SIZE.stock));
    figures.stock = result;
    for (const r of result) emit({ bench: 'stock_query', ...r, ...conditions });
  }
  if (selected.has('flash_sale')) {
    const { result, conditions } = await measured(temp, 'flash', () => benchFlashSale(temp, SIZE.flash));
    figures.flash = result;
    emit({ bench: 'flash_sale', ...result, ...conditions });
  }
  if (selected.has('statements')) {
    // Counted, not timed: no conditions to record.
    figures.statements = await benchStatements(temp, { sql: process.argv.includes('--sql') });
    for (const r of figures.statements) emit({ bench: 'statements', ...r });
  }
  return figures;
}

/** A goal with a target; or, with `informational`, a figure reported beside the goals (no target, not counted). */
interface Goal {
  goal: string;
  target: number | null;
  measured: number;
  met: boolean | null;
  informational?: true;
}

function summary(f: Figures) {
  const engine = (variant: EngineResult['variant']) => f.engine?.find((r) => r.variant === variant)?.postingsPerSecond;
  const ledger = (inFlight: number) => f.ledger?.find((r) => r.inFlight === inFlight)?.postingsPerSecond;
  const ratio = (a?: number, b?: number) => (a !== undefined && b !== undefined && b > 0 ? round(a / b, 4) : undefined);
  const ratios = {
    ledgerPostVsEngineBatched: ratio(ledger(256), engine('batched')),
    ledgerPostVsLedgerStatementsRaw: ratio(ledger(256), engine('ledger_statements_batched')),
    ledgerStatementsRawVsEngineBatched: ratio(engine('ledger_statements_batched'), engine('batched')),
    engineBatchedVsSingle: ratio(engine('batched'), engine('single')),
    ledgerPost256VsLedgerPost1: ratio(ledger(256), ledger(1)),
  };

  const goals: Goal[] = [];
  const atLeast = (goal: string, target: number, measured?: number) => {
    if (measured !== undefined) goals.push({ goal, target, measured, met: measured >= target });
  };
  const below = (goal: string, target: number, measured?: number) => {
    if (measured !== undefined) goals.push({ goal, target, measured, met: measured < target });
  };
  atLeast('ledger_post (256 in flight) / engine_limit batched', GOAL.ledgerVsEngine, ratios.ledgerPostVsEngineBatched);
  for (const r of f.http ?? []) {
    atLeast(`http_confirm ${r.scenario}: orders/s`, GOAL.ordersPerSecond, r.ordersPerSecond);
    below(`http_confirm ${r.scenario}: confirm p99 ms`, GOAL.p99Ms, r.confirmMs.p99);
    below(`http_confirm ${r.scenario}: create+confirm p99 ms`, GOAL.p99Ms, r.orderMs.p99);
  }
  for (const r of f.stock ?? []) below(`stock_query via ${r.via} at ${r.moves} moves: p99 ms`, GOAL.stockP99Ms, r.ms.p99);
  if (f.flash) {
    const info = (goal: string, measured: number) => goals.push({ goal, target: null, measured, met: null, informational: true });
    info('flash_sale: orders/s', f.flash.ordersPerSecond);
    info('flash_sale: create+confirm p50 ms', f.flash.orderMs.p50);
    info('flash_sale: create+confirm p99 ms', f.flash.orderMs.p99);
    info('flash_sale: confirm p50 ms', f.flash.confirmMs.p50);
    info('flash_sale: confirm p99 ms', f.flash.confirmMs.p99);
    info('flash_sale: confirmed', f.flash.confirmed);
    info('flash_sale: refused (409 insufficient-stock)', f.flash.refused);
    // Met only when the run was checked end to end (verified), not merely when nothing was counted.
    goals.push({ goal: 'flash_sale: units oversold (checked against the database and verifyLedger)', target: GOAL.flashOversold, measured: f.flash.oversold, met: f.flash.verified && f.flash.oversold <= GOAL.flashOversold });
  }
  for (const r of f.statements ?? []) {
    goals.push({ goal: `statements: sales-order ${r.command}, ${r.lines} line(s), ${r.actor}`, target: null, measured: r.statements, met: null, informational: true });
  }
  const targeted = goals.filter((g) => !g.informational);
  return { type: 'summary', ratios, goals, goalsMet: targeted.filter((g) => g.met).length, goalsTotal: targeted.length };
}

const temp = makeTempDir();
try {
  progress(`temp dir ${temp.dir}${quick ? ' (quick)' : ''}`);
  emit({ type: 'machine', ...machine(), sqlite: sqliteVersion(), loadAverage: loadavg().map((l) => round(l, 2)), quick });
  const figures = await runAll(temp);
  emit(summary(figures));
  progress(`done; load average now ${loadavg().map((l) => round(l, 2)).join(' ')}`);
} finally {
  temp.cleanup();
}
