import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '../api/client';

/**
 * A keyset-paginated API list (`next` passed back as `after`): one page at a time with previous /
 * next, restarting from the first page whenever the filters change.
 */
export function useCursorList<T>(path: string, params: Record<string, string | number | boolean | undefined>, pageSize = 50) {
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const filterKey = JSON.stringify(params);
  useEffect(() => setCursors([undefined]), [filterKey, path]);
  const after = cursors[cursors.length - 1];
  const query = useQuery({
    queryKey: [path, 'list', params, after, pageSize],
    queryFn: ({ signal }) => api.get<Page<T>>(path, { ...params, after, limit: pageSize }, { signal }),
    placeholderData: keepPreviousData,
  });
  return {
    ...query,
    items: query.data?.items ?? [],
    page: cursors.length,
    hasNext: Boolean(query.data?.next),
    hasPrevious: cursors.length > 1,
    next: () => query.data?.next && setCursors((c) => [...c, query.data!.next]),
    previous: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
  };
}
