import type { ZodType } from 'zod';
import { DecimalFormatError, parseScaled } from '../../core/decimal.js';
import type { ServiceContext } from '../../app/context.js';
import type { Tx } from '../../db/store.js';
import { decimalCell, type CodeCase } from './clean.js';

/** One problem of one row: the field (column key) it is about, a stable code and a message. */
export interface Issue {
  field: string;
  code: IssueCode;
  message: string;
}

/**
 * missing: a required cell is empty. invalid: wrong format or out of range. bad-number: not a
 * number. precision: more decimals than allowed. unknown-unit, unknown: names something that does
 * not exist. duplicate: repeats an earlier row. exists: already in the database. near-duplicate:
 * the same code apart from case, width or separators. similar (warning): one character away.
 * same-name, same-barcode (warnings).
 */
export type IssueCode =
  | 'missing' | 'invalid' | 'bad-number' | 'precision' | 'unknown-unit' | 'unknown' | 'duplicate' | 'exists'
  | 'near-duplicate' | 'similar' | 'same-name' | 'same-barcode' | 'failed';

export interface RawRow {
  rowNo: number;
  /** Cleaned cells by column key; absent or '' when empty. */
  cells: Record<string, string>;
}

export interface CheckedRow<T> extends RawRow {
  value: T | null;
  errors: Issue[];
  warnings: Issue[];
}

export interface ImportOptions {
  codeCase: CodeCase;
  /** Units accepted besides the built-in list and the units items already use. */
  units: string[];
  /** Whether codes equal apart from case, width and separators are errors or warnings. */
  nearDuplicates: 'error' | 'warning';
}

export interface PassContext {
  ctx: ServiceContext;
  jobId: number;
  options: ImportOptions;
  phase: 'validate' | 'commit';
}

/** Marks the rows of a chunk as done, in the caller's transaction (compare-and-set on the cursor). */
export type Advance = (tx: Tx) => Promise<void>;

export interface KindPass<T> {
  /** Check a chunk of rows, in file order; state (codes seen) carries over to the next chunk. */
  check(rows: RawRow[]): Promise<CheckedRow<T>[]>;
  /** Write the valid rows of a chunk and call `advance` in the same transaction, or after the last idempotent command. */
  commit(rows: CheckedRow<T>[], advance: Advance): Promise<void>;
}

export interface KindHandler<T = unknown> {
  /** The right needed to import this kind (besides import.run). */
  permission: 'item.write' | 'partner.write' | 'warehouse.write' | 'stock.adjust';
  start(pass: PassContext): Promise<KindPass<T>>;
}

/** A failure while committing, reported on a row. */
export class RowFailure extends Error {
  constructor(readonly rowNo: number, readonly issues: Issue[]) {
    super(issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/** Collects the issues of one row while its cells are read. */
export class RowCheck {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  constructor(readonly row: RawRow) {}

  get ok(): boolean {
    return this.errors.length === 0;
  }

  error(field: string, code: IssueCode, message: string): void {
    this.errors.push({ field, code, message });
  }

  warn(field: string, code: IssueCode, message: string): void {
    this.warnings.push({ field, code, message });
  }

  cell(field: string): string | undefined {
    const value = this.row.cells[field];
    return value === undefined || value === '' ? undefined : value;
  }

  required(field: string): string | undefined {
    const value = this.cell(field);
    if (value === undefined) this.error(field, 'missing', 'is required');
    return value;
  }

  /** A present cell checked with a request schema (the same rules as the API). */
  schema<T>(field: string, schema: ZodType<T>, value = this.cell(field)): T | undefined {
    if (value === undefined) return undefined;
    const result = schema.safeParse(value);
    if (!result.success) {
      this.error(field, 'invalid', result.error.issues.map((i) => i.message).join('; '));
      return undefined;
    }
    return result.data;
  }

  /** An exact decimal with at most `maxDecimals` decimals. */
  decimal(field: string, maxDecimals: number, what = ''): bigint | undefined {
    const value = this.cell(field);
    if (value === undefined) return undefined;
    try {
      return parseScaled(decimalCell(value), maxDecimals);
    } catch (error) {
      const message = error instanceof DecimalFormatError ? error.message : 'is not a number';
      const code = /decimals|whole number/.test(message) ? 'precision' : /decimal number/.test(message) ? 'bad-number' : 'invalid';
      this.error(field, code, `${value} ${message}${what}`);
      return undefined;
    }
  }

  integer(field: string, min: number, max: number): number | undefined {
    const value = this.cell(field);
    if (value === undefined) return undefined;
    const text = decimalCell(value);
    if (!/^[+-]?\d+(\.0*)?$/.test(text)) {
      this.error(field, /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? 'precision' : 'bad-number', `${value} must be a whole number`);
      return undefined;
    }
    const n = Number.parseInt(text, 10);
    if (n < min || n > max) {
      this.error(field, 'invalid', `${value} must be between ${min} and ${max}`);
      return undefined;
    }
    return n;
  }

  /** One of a fixed set of values, by any of its spellings (English, Chinese). */
  choice<T extends string>(field: string, spellings: Record<string, T>): T | undefined {
    const value = this.cell(field);
    if (value === undefined) return undefined;
    const found = spellings[value.toLowerCase()];
    if (found === undefined) this.error(field, 'invalid', `${value} is not one of ${[...new Set(Object.values(spellings))].join(', ')}`);
    return found;
  }

  done<T>(value: T | undefined): CheckedRow<T> {
    return { ...this.row, value: this.ok && value !== undefined ? value : null, errors: this.errors, warnings: this.warnings };
  }
}

export const where = (row: number) => (row === 0 ? 'an existing record' : `row ${row}`);
