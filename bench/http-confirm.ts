import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { verifyLedger } from '../src/ledger/verify.js';
import type { LoadReport, LoadRequest } from './http-client.js';
import { openDurableStore, progress, round, sku, startServer, summarize, type BenchServer, type LatencySummary, type TempDir } from './support.js';

/** One hot SKU (plenty of stock), or 1,000 SKUs with a random one per order. */
export const HTTP_SCENARIOS = ['hot_sku', 'skus_1000'] as const;
export type HttpScenario = (typeof HTTP_SCENARIOS)[number];

export interface HttpConfirmResult {
  scenario: HttpScenario;
  skus: number;
  clients: number;
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  orderMs: LatencySummary;
  confirmMs: LatencySummary;
  errors: Record<string, number>;
  /** Commands (create, confirm) per durable commit on the server. */
  commandsPerCommit: number;
  /** Share of wall time the server's event loop was busy (1 = saturated). */
  serverEventLoopUtilization: number;
  serverCpuSeconds: number;
  clientCpuSeconds: number;
  /** verifyLedger after the run (reservations and balances agree). */
  verified: boolean;
}

export interface HttpConfirmOptions {
  clients: number;
  warmupOrders: number;
  orders: number;
}

export const WAREHOUSE = 'WH1';

/** Items and stock through the API, as a client would set them up. */
async function seed(server: BenchServer, skus: string[], stockPerSku: number): Promise<void> {
  await server.call('POST', '/warehouses', { code: WAREHOUSE, name: 'Main warehouse' }, 201);
  for (let i = 0; i < skus.length; i += 50) {
    await Promise.all(skus.slice(i, i + 50).map((s) => server.call('POST', '/items', { sku: s, name: `Item ${s}`, unit: 'pcs' }, 201)));
  }
  for (let i = 0; i < skus.length; i += 1_000) {
    const lines = skus.slice(i, i + 1_000).map((s) => ({ sku: s, quantity: stockPerSku, unitCost: 2.5 }));
    await server.call('POST', '/inventory-adjustments', { warehouse: WAREHOUSE, reason: 'bench stock', lines }, 201);
  }
}

/** Fork the load generator (also used by flash-sale.ts), let it warm up, and capture server-side figures for the measured phase. */
export function load(request: LoadRequest, onMeasure: () => void): Promise<LoadReport> {
  const child = fork(fileURLToPath(new URL('./http-client.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'], // the child's stdout must not reach our JSON lines
  });
  return new Promise<LoadReport>((resolve, reject) => {
    child.on('message', (message: { phase: 'measure' } | { phase: 'done'; report: LoadReport }) => {
      if (message.phase === 'measure') onMeasure();
      else resolve(message.report);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`http client exited with ${code}`));
    });
    child.send({ request });
  });
}

async function scenario(temp: TempDir, name: HttpScenario, skus: string[], stockPerSku: number, options: HttpConfirmOptions): Promise<HttpConfirmResult> {
  const bench = await openDurableStore(temp.file(`http-${name}.db`));
  const server = await startServer(bench);
  try {
    progress(`http_confirm ${name}: seeding ${skus.length} items`);
    await seed(server, skus, stockPerSku);
    progress(`http_confirm ${name}: ${options.clients} clients, ${options.warmupOrders} warm-up + ${options.orders} orders`);
    let elu0 = performance.eventLoopUtilization();
    let cpu0 = process.cpuUsage();
    let commits0 = { ...bench.commits };
    const report = await load(
      { baseUrl: server.baseUrl, token: server.token, clients: options.clients, warmupOrders: options.warmupOrders, orders: options.orders, warehouse: WAREHOUSE, skus },
      () => {
        elu0 = performance.eventLoopUtilization();
        cpu0 = process.cpuUsage();
        commits0 = { ...bench.commits };
      },
    );
    const elu = performance.eventLoopUtilization(elu0);
    const cpu = process.cpuUsage(cpu0);
    const commands = bench.commits.commands - commits0.commands;
    const batches = bench.commits.batches - commits0.batches;
    const result: HttpConfirmResult = {
      scenario: name,
      skus: skus.length,
      clients: options.clients,
      orders: report.orders,
      seconds: report.seconds,
      ordersPerSecond: round(report.orders / report.seconds, 1),
      orderMs: summarize(report.orderMs),
      confirmMs: summarize(report.confirmMs),
      errors: report.errors,
      commandsPerCommit: round(commands / Math.max(1, batches), 2),
      serverEventLoopUtilization: round(elu.utilization),
      serverCpuSeconds: round((cpu.user + cpu.system) / 1e6),
      clientCpuSeconds: report.clientCpuSeconds,
      verified: (await verifyLedger(bench.store.read, bench.store.dialect)).ok,
    };
    progress(`http_confirm ${name}: ${result.ordersPerSecond} orders/s, order p99 ${result.orderMs.p99} ms, confirm p99 ${result.confirmMs.p99} ms`);
    return result;
  } finally {
    await server.close();
    await bench.store.close();
  }
}

export function benchHttpConfirm(temp: TempDir, name: HttpScenario, options: HttpConfirmOptions): Promise<HttpConfirmResult> {
  const perRun = options.warmupOrders + options.orders;
  return name === 'hot_sku'
    ? scenario(temp, name, ['HOT-1'], perRun * 10, options)
    : scenario(temp, name, Array.from({ length: 1_000 }, (_, i) => sku(i)), perRun, options);
}
