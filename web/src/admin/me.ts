/** The caller's rights and warehouses (GET /auth/me), to show only the screens they may use. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import { useAuth } from '../auth/AuthContext';

export interface Me {
  userId: number;
  username: string;
  role: string;
  permissions: string[];
  warehouseIds: number[] | null;
  mustChangePassword: boolean;
}

export function useMe() {
  const { token } = useAuth();
  const query = useQuery({
    queryKey: ['/auth/me', token],
    queryFn: ({ signal }) => api.get<Me>('/auth/me', undefined, { signal }),
    enabled: Boolean(token),
    staleTime: 60_000,
  });
  const rights = new Set(query.data?.permissions ?? []);
  return { ...query, me: query.data, can: (right: string) => rights.has(right) };
}
