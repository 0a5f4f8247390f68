import { DecimalFormatError, parseScaled } from '../../core/decimal.js';
import { validationError, type FieldError } from '../../core/errors.js';
import { isCalendarDate } from '../../core/text.js';
import type { ShipmentStatus } from '../../db/tables/shipping.js';
import type { ShipInput } from './schemas.js';

export const SHIPMENT = 'shipment';
/** The sales module's document type (not imported: sales imports shipping). */
export const ORDER_DOCUMENT = 'sales-order';

/**
 * Tracking state machine. Repeating in_transit or exception is more news of the same state (a scan
 * at the next hub), so it is allowed; delivered is final.
 */
export const TRANSITIONS: Record<ShipmentStatus, ShipmentStatus[]> = {
  // A packed shipment has not left: it ships through POST /shipments/{id}/ship, not a tracking event.
  packed: [],
  shipped: ['in_transit', 'exception'],
  in_transit: ['in_transit', 'delivered', 'exception'],
  exception: ['exception', 'in_transit', 'delivered'],
  delivered: [],
};

/** Weights to the gram, dimensions to the millimetre. */
const WEIGHT_DECIMALS = 3;
const DIMENSION_DECIMALS = 1;

export interface PreparedPackage {
  weightKg: bigint | null;
  lengthCm: bigint | null;
  widthCm: bigint | null;
  heightCm: bigint | null;
  reference: string | null;
}

export interface PreparedShipment {
  carrier: string | null;
  service: string | null;
  trackingNumber: string | null;
  promisedOn: string | null;
  packages: PreparedPackage[];
}

/** Check the ship body before anything is written: every problem at once, with its field path. */
export function prepareShipment(input: ShipInput): PreparedShipment {
  const errors: FieldError[] = [];
  if (input.trackingNumber !== undefined && input.carrier === undefined) {
    errors.push({ field: 'trackingNumber', message: 'a tracking number needs its carrier' });
  }
  if (input.promisedOn !== undefined && !isCalendarDate(input.promisedOn)) errors.push({ field: 'promisedOn', message: 'must be a date YYYY-MM-DD' });
  const measure = (value: number | undefined, field: string, decimals: number): bigint | null => {
    if (value === undefined) return null;
    try {
      const scaled = parseScaled(value, decimals);
      if (scaled <= 0n) errors.push({ field, message: 'must be greater than zero' });
      return scaled;
    } catch (e) {
      errors.push({ field, message: e instanceof DecimalFormatError ? e.message : 'is invalid' });
      return null;
    }
  };
  const packages = (input.packages ?? []).map((p, i) => ({
    weightKg: measure(p.weightKg, `packages.${i}.weightKg`, WEIGHT_DECIMALS),
    lengthCm: measure(p.lengthCm, `packages.${i}.lengthCm`, DIMENSION_DECIMALS),
    widthCm: measure(p.widthCm, `packages.${i}.widthCm`, DIMENSION_DECIMALS),
    heightCm: measure(p.heightCm, `packages.${i}.heightCm`, DIMENSION_DECIMALS),
    reference: p.reference ?? null,
  }));
  if (errors.length > 0) throw validationError(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return {
    carrier: input.carrier ?? null,
    service: input.service ?? null,
    trackingNumber: input.trackingNumber ?? null,
    promisedOn: input.promisedOn ?? null,
    packages,
  };
}
