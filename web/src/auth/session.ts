/**
 * The stored session (token, user, company, chosen warehouse), outside React so the API client can
 * read it. The token lives in sessionStorage only for this tab unless the user asked to be
 * remembered; it is never put in a URL.
 */
export interface Session {
  token: string;
  expiresAt: string;
  username: string;
  role: string;
  company: string;
  /** Warehouse code chosen in the header; undefined means all warehouses. */
  warehouse?: string;
}

const KEY = 'cangku.session';
let current: Session | null = load();
const listeners = new Set<(s: Session | null) => void>();

function load(): Session | null {
  try {
    const text = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
    if (!text) return null;
    const s = JSON.parse(text) as Session;
    if (!s.token || (s.expiresAt && Date.parse(s.expiresAt) < Date.now())) return null;
    return s;
  } catch {
    return null;
  }
}

function save(s: Session | null, remember = localStorage.getItem(KEY) !== null): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
  if (s) (remember ? localStorage : sessionStorage).setItem(KEY, JSON.stringify(s));
}

export function getSession(): Session | null {
  return current;
}

export function getToken(): string | undefined {
  return current?.token;
}

export function setSession(s: Session | null, remember?: boolean): void {
  current = s;
  save(s, remember);
  for (const l of listeners) l(s);
}

export function updateSession(changes: Partial<Session>): void {
  if (!current) return;
  setSession({ ...current, ...changes });
}

export function subscribeSession(listener: (s: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** A 401 from the API: the token expired or was revoked; back to the login screen. */
export function onUnauthorized(): void {
  if (current) setSession(null);
}
