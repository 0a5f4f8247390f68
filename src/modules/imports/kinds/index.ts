import type { ImportKind } from '../columns.js';
import type { KindHandler } from '../kind.js';
import { itemsImport } from './items.js';
import { locationsImport } from './locations.js';
import { openingStockImport } from './opening-stock.js';
import { partnersImport } from './partners.js';

export const HANDLERS: Record<ImportKind, KindHandler<any>> = {
  items: itemsImport,
  partners: partnersImport,
  locations: locationsImport,
  'opening-stock': openingStockImport,
};
