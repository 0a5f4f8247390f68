import { createContext, Fragment, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../api/client';
import {
  addSession, dropSession, getKnownCompanies, getSession, getSessions, subscribeSession, switchCompany as switchTo, updateSession,
  type KnownCompany, type Session,
} from './session';

export interface AuthState {
  /** The current company's session, or null when signed into none. */
  session: Session | null;
  /** Every company this browser is signed into (the header's company selector). */
  sessions: Session[];
  /** Companies signed into before in this browser (the login page offers them). */
  knownCompanies: KnownCompany[];
  token: string | undefined;
  user: { username: string; role: string; company: string; companyName: string } | null;
  /** The warehouse chosen in the header (code), or undefined for all. */
  warehouse: string | undefined;
  setWarehouse(code: string | undefined): void;
  /** Signs into a company; it becomes the current one (other companies stay signed in). */
  login(input: { username: string; password: string; company?: string; remember?: boolean }): Promise<Session>;
  /** Signs out of the current company only; another signed-in company becomes current. */
  logout(): Promise<void>;
  switchCompany(code: string): void;
  /** A company whose session ended by itself (expired or revoked), until shown. */
  ended: Session | null;
  clearEnded(): void;
}

const AuthContext = createContext<AuthState | null>(null);

interface Snapshot {
  session: Session | null;
  sessions: Session[];
  knownCompanies: KnownCompany[];
}

const snapshot = (): Snapshot => ({ session: getSession(), sessions: getSessions(), knownCompanies: getKnownCompanies() });

/**
 * The same address without the ids in it (/items/12 -> /items): a record of one company means
 * nothing in another, so a switch lands on the list of the same kind.
 */
export function sectionPath(pathname: string): string {
  const parts = pathname.split('/').filter(Boolean);
  const id = parts.findIndex((p) => /^\d+$/.test(p));
  return `/${(id === -1 ? parts : parts.slice(0, id)).join('/')}`;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<Snapshot>(snapshot);
  const latest = useRef(state);
  // Bumped when the company changes under open screens: they remount, so no state of the other company survives.
  const [generation, setGeneration] = useState(0);
  const [ended, setEnded] = useState<Session | null>(null);

  useEffect(
    () =>
      subscribeSession((_session, change, dropped) => {
        const before = latest.current.session;
        const next = snapshot();
        latest.current = next;
        setState(next);
        if (change === 'expired' && dropped) setEnded(dropped);
        if (change === 'update' || (before?.company === next.session?.company && before?.token === next.session?.token)) return;
        // Another company (or none): nothing cached for the previous one may be shown.
        queryClient.clear();
        if (change !== 'login' && next.session) {
          window.history.replaceState(null, '', sectionPath(window.location.pathname));
          setGeneration((g) => g + 1);
        }
      }),
    [queryClient],
  );

  const login = useCallback<AuthState['login']>(async ({ username, password, company, remember }) => {
    const company_ = company?.trim() || undefined;
    const { token, expiresAt } = await api.post<{ token: string; expiresAt: string }>(
      '/auth/login',
      { username, password, ...(company_ ? { company: company_ } : {}) },
      { noAuthRedirect: true },
    );
    const me = await api.get<{ username: string; role: string; company?: { code: string; name: string } }>('/auth/me', undefined, {
      headers: { authorization: `Bearer ${token}` },
      noAuthRedirect: true,
    });
    const code = me.company?.code ?? company_ ?? 'default';
    // The warehouse chosen there before, if it was this user's: another user may not see it.
    const known = getKnownCompanies().find((k) => k.code === code);
    const warehouse = getSessions().find((s) => s.company === code && s.username === me.username)?.warehouse ?? (known?.username === me.username ? known.warehouse : undefined);
    const next: Session = { token, expiresAt, username: me.username, role: me.role, company: code, companyName: me.company?.name ?? code, warehouse };
    setEnded(null);
    addSession(next, remember ?? false);
    return next;
  }, []);

  const logout = useCallback(async () => {
    const current = getSession();
    if (!current) return;
    try {
      await api.post('/auth/logout', undefined, { noAuthRedirect: true, headers: { authorization: `Bearer ${current.token}` } });
    } catch {
      /* the token may already be gone; the session ends either way */
    }
    dropSession(current.company, 'logout');
  }, []);

  const value = useMemo<AuthState>(
    () => ({
      session: state.session,
      sessions: state.sessions,
      knownCompanies: state.knownCompanies,
      token: state.session?.token,
      user: state.session
        ? { username: state.session.username, role: state.session.role, company: state.session.company, companyName: state.session.companyName ?? state.session.company }
        : null,
      warehouse: state.session?.warehouse,
      setWarehouse: (code) => updateSession({ warehouse: code }),
      login,
      logout,
      switchCompany: switchTo,
      ended,
      clearEnded: () => setEnded(null),
    }),
    [state, login, logout, ended],
  );
  return (
    <AuthContext.Provider value={value}>
      <Fragment key={generation}>{children}</Fragment>
    </AuthContext.Provider>
  );
}

/** The session: current user, token, selected warehouse, login/logout, the signed-in companies. */
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
