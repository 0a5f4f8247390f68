/** What the phone screens read from the API, and the small rules they share. */
import { api, ApiError, type Page } from '../api/client';
import { interpretScan, type Scan } from '../scan/interpret.js';

export interface Item { id: number; sku: string; name: string; unit: string; unitPrecision: number; tracking: 'none' | 'lot' | 'serial'; barcode: string | null }
export interface Location { id: number; code: string; name: string; kind: string; warehouse: string | null }
export interface Warehouse { id: number; code: string; name: string; stockLocation: string }
export interface StockRow { sku: string; warehouse: string; location: string; lot: string | null; expiresOn: string | null; onHand: number; reserved: number; available: number }

/**
 * Items seen before, by SKU and barcode, so scanning keeps working without a connection (item
 * master data rarely changes; the server checks every entry again when it arrives). Bounded.
 */
const ITEM_CACHE = 'cangku.itemCache.v1';
const ITEM_CACHE_MAX = 2000;

function readItemCache(): Record<string, Item> {
  try {
    return JSON.parse(localStorage.getItem(ITEM_CACHE) ?? '{}') as Record<string, Item>;
  } catch {
    return {};
  }
}

export function rememberItems(items: Item[]): void {
  const cache = readItemCache();
  for (const item of items) {
    cache[item.sku] = item;
    if (item.barcode) cache[item.barcode] = item;
  }
  const keys = Object.keys(cache);
  for (const key of keys.slice(0, Math.max(0, keys.length - ITEM_CACHE_MAX))) delete cache[key];
  try {
    localStorage.setItem(ITEM_CACHE, JSON.stringify(cache));
  } catch {
    /* storage full: the cache is only a convenience */
  }
}

/** The item a scan names: an exact SKU or barcode match for any of its codes (GTIN forms included). */
export async function findItem(codes: string[]): Promise<Item | undefined> {
  try {
    for (const code of codes) {
      const page = await api.get<Page<Item>>('/items', { q: code, limit: 20 });
      const hit = page.items.find((i) => i.sku === code) ?? page.items.find((i) => i.barcode === code);
      if (hit) {
        rememberItems([hit]);
        return hit;
      }
    }
    return undefined;
  } catch (error) {
    // Offline: the items seen before still resolve.
    if (!(error instanceof ApiError) || error.status !== 0) throw error;
    const cache = readItemCache();
    for (const code of codes) if (cache[code]) return cache[code];
    throw error;
  }
}

/** Loads the items of a document (e.g. a count's lines) into the offline cache. */
export async function prefetchItems(skus: string[]): Promise<void> {
  const cache = readItemCache();
  for (const sku of [...new Set(skus)].filter((s) => !cache[s]).slice(0, 100)) {
    const page = await api.get<Page<Item>>('/items', { q: sku, limit: 20 });
    rememberItems(page.items.filter((i) => i.sku === sku));
  }
}

export async function warehouseByCode(code: string): Promise<Warehouse | undefined> {
  const { items } = await api.get<{ items: Warehouse[] }>('/warehouses');
  return items.find((w) => w.code === code);
}

/** The locations of a warehouse where stock can be counted, stored or moved (stock, zones, bins). */
export async function storageLocations(warehouseCode: string): Promise<Location[]> {
  const wh = await warehouseByCode(warehouseCode);
  if (!wh) return [];
  const { items } = await api.get<{ items: Location[] }>('/locations', { warehouse: wh.id });
  return items.filter((l) => l.kind === 'stock' || l.kind === 'zone' || l.kind === 'bin');
}

/** A scanned plain code that is a location code of the list (exact, else without case). */
export function matchLocation(scan: Scan, locations: Location[]): Location | undefined {
  if (scan.kind !== 'plain') return undefined;
  return locations.find((l) => l.code === scan.code) ?? locations.find((l) => l.code.toLowerCase() === scan.code.toLowerCase());
}

/** The last segment of a location code, what a bin label shows big: WH1/Stock/A/A-01 -> A-01. */
export const shortCode = (code: string) => code.split('/').slice(-1)[0] ?? code;

/** A typed quantity, exact to the item's precision: "3", "2.5"; anything else is undefined. */
export function parseQuantity(text: string, precision: number, allowZero = true): number | undefined {
  const t = text.trim().replace(',', '.');
  const re = precision > 0 ? new RegExp(`^\\d{1,12}(\\.\\d{1,${precision}})?$`) : /^\d{1,12}$/;
  if (!re.test(t)) return undefined;
  const value = Number(t);
  if (!allowZero && value === 0) return undefined;
  return value;
}

/** A value typed into a quantity field that is really a scan (a barcode is longer than any quantity). */
export const looksLikeScan = (text: string) => !/^\s*\d{0,9}([.,]\d{0,6})?\s*$/.test(text);

export { interpretScan };
