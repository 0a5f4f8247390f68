import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api } from '../api/client';
import { getSession, setSession, subscribeSession, updateSession, type Session } from './session';

export interface AuthState {
  /** The logged-in session, or null. */
  session: Session | null;
  token: string | undefined;
  user: { username: string; role: string; company: string } | null;
  /** The warehouse chosen in the header (code), or undefined for all. */
  warehouse: string | undefined;
  setWarehouse(code: string | undefined): void;
  login(input: { username: string; password: string; company?: string; remember?: boolean }): Promise<Session>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setState] = useState<Session | null>(getSession);
  useEffect(() => subscribeSession(setState), []);

  const login = useCallback<AuthState['login']>(async ({ username, password, company, remember }) => {
    const company_ = company?.trim() || undefined;
    const { token, expiresAt } = await api.post<{ token: string; expiresAt: string }>(
      '/auth/login',
      { username, password, ...(company_ ? { company: company_ } : {}) },
      { noAuthRedirect: true },
    );
    const me = await api.get<{ username: string; role: string }>('/auth/me', undefined, { headers: { authorization: `Bearer ${token}` }, noAuthRedirect: true });
    const previous = getSession();
    const next: Session = { token, expiresAt, username: me.username, role: me.role, company: company_ ?? 'default', warehouse: previous?.company === (company_ ?? 'default') ? previous?.warehouse : undefined };
    setSession(next, remember ?? false);
    return next;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/auth/logout', undefined, { noAuthRedirect: true });
    } catch {
      /* the token may already be gone; the session ends either way */
    }
    setSession(null);
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      session,
      token: session?.token,
      user: session ? { username: session.username, role: session.role, company: session.company } : null,
      warehouse: session?.warehouse,
      setWarehouse: (code) => updateSession({ warehouse: code }),
      login,
      logout,
    }),
    [session, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

/** The session: current user, token, selected warehouse, login/logout. */
export function useAuth(): AuthState {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** Shorthand for the selected warehouse code (undefined = all warehouses). */
export function useWarehouse(): [string | undefined, (code: string | undefined) => void] {
  const { warehouse, setWarehouse } = useAuth();
  return [warehouse, setWarehouse];
}
