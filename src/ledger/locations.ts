import type { LocationKind } from '../db/schema.js';

/** Locations that hold the company's stock inside a warehouse. */
export const PHYSICAL_KINDS: readonly LocationKind[] = ['stock', 'zone', 'bin', 'inspection', 'rejected', 'hold'];
/**
 * Physical locations whose stock can be promised and reserved. Goods waiting for quality
 * inspection, or rejected by it, or held back (`hold`: a short pick's missing quantity until it
 * is counted, see docs/picking.md) are on hand but not available.
 */
export const AVAILABLE_KINDS: readonly LocationKind[] = ['stock', 'zone', 'bin'];
export const isAvailableKind = (kind: LocationKind) => AVAILABLE_KINDS.includes(kind);

export const isPhysical = (kind: LocationKind) => PHYSICAL_KINDS.includes(kind);
/** Stock the company owns and values: in a warehouse, or on its way between two (in transit). */
export const isValued = (kind: LocationKind) => isPhysical(kind) || kind === 'transit';
/** A warehouse's root is a view: it groups its locations and never holds stock itself. */
export const canHoldStock = (kind: LocationKind) => kind !== 'warehouse';

/** The virtual locations every company gets, by kind, with their codes. */
export const VIRTUAL_LOCATIONS: ReadonlyArray<{ kind: LocationKind; code: string; name: string }> = [
  { kind: 'supplier', code: 'Partners/Suppliers', name: 'Suppliers' },
  { kind: 'customer', code: 'Partners/Customers', name: 'Customers' },
  { kind: 'production', code: 'Virtual/Production', name: 'Production' },
  { kind: 'scrap', code: 'Virtual/Scrap', name: 'Scrap' },
  { kind: 'adjustment', code: 'Virtual/Inventory adjustment', name: 'Inventory adjustment' },
  { kind: 'transit', code: 'Virtual/In transit', name: 'In transit' },
];
