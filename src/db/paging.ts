import type { SelectQueryBuilder } from 'kysely';

/** How a list is paged: by id after a cursor (`after`), or by position (`sort`, `offset`) for screens. */
export interface ListPaging {
  after?: number;
  limit: number;
  /** A key of the list's sort columns, `-` in front for descending. */
  sort?: string;
  offset?: number;
  /** Also count every match (`total`). */
  withTotal?: boolean;
}

/**
 * One page of a filtered list. Keyset paging on ids (`next` is the last id when more follow) unless
 * a sort or offset is asked for; then positional paging, ties broken by id so pages never overlap.
 */
export async function pageList<DB, TB extends keyof DB, Row, View extends { id: number }>(
  query: SelectQueryBuilder<DB, TB, Row>,
  paging: ListPaging,
  sortColumns: Readonly<Record<string, string>>,
  toView: (row: Row) => View,
): Promise<{ items: View[]; next?: string; total?: number }> {
  // The columns are literals of each list's sort table; Kysely cannot type them over any table.
  const q = query as unknown as SelectQueryBuilder<any, any, Row>;
  const total = paging.withTotal ? Number((await q.clearSelect().select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0) : undefined;
  const withTotal = total !== undefined ? { total } : {};
  if (paging.sort !== undefined || paging.offset !== undefined) {
    const sort = paging.sort ?? 'id';
    const direction = sort.startsWith('-') ? 'desc' : 'asc';
    const column = sortColumns[sort.replace(/^-/, '')]!;
    let sorted = q.orderBy(column, direction);
    if (column !== 'id') sorted = sorted.orderBy('id', direction);
    const rows = await sorted.limit(paging.limit).offset(paging.offset ?? 0).execute();
    return { items: rows.map(toView), ...withTotal };
  }
  const rows = await (paging.after !== undefined ? q.where('id', '>', paging.after) : q).orderBy('id').limit(paging.limit + 1).execute();
  const items = rows.slice(0, paging.limit).map(toView);
  return { items, next: rows.length > paging.limit ? String(items[items.length - 1]!.id) : undefined, ...withTotal };
}
