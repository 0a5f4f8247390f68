/**
 * The stored sessions, one per company this browser is signed into (accounts are per company, so
 * each has its own token, user and chosen warehouse), and which one is current. Outside React so
 * the API client can read the token. A session lives in sessionStorage (this tab) unless the user
 * asked to be remembered (localStorage); a token is never put in a URL.
 *
 * The API does not say which companies a person belongs to (docs/security.md): the browser
 * remembers the companies it signed into (code, name, last username; no secret) to offer them on
 * the login page.
 */
export interface Session {
  token: string;
  expiresAt: string;
  username: string;
  role: string;
  /** The company's code: the key of this session. */
  company: string;
  /** The company's name (GET /auth/me), shown in the company selector. */
  companyName?: string;
  /** Warehouse code chosen in the header; undefined means all warehouses. */
  warehouse?: string;
}

/** A company signed into before in this browser: offered on the login page. */
export interface KnownCompany {
  code: string;
  name?: string;
  username?: string;
  /** The warehouse last chosen there, restored when the same user signs in again. */
  warehouse?: string;
}

/** Why the sessions changed: a switch of company clears cached data and remounts the screens. */
export type SessionChange = 'login' | 'switch' | 'logout' | 'expired' | 'update';

const SESSIONS = 'cangku.sessions';
const CURRENT = 'cangku.company';
const KNOWN = 'cangku.companies';
const LEGACY = 'cangku.session';
const MAX_KNOWN = 20;

type SessionMap = Record<string, Session>;

const storages = (): Storage[] => [sessionStorage, localStorage];

function readMap(storage: Storage): SessionMap {
  try {
    const map = JSON.parse(storage.getItem(SESSIONS) ?? '{}') as SessionMap;
    return map && typeof map === 'object' ? map : {};
  } catch {
    return {};
  }
}

function writeMap(storage: Storage, map: SessionMap): void {
  if (Object.keys(map).length === 0) storage.removeItem(SESSIONS);
  else storage.setItem(SESSIONS, JSON.stringify(map));
}

const live = (s: Session | undefined): s is Session => Boolean(s?.token && s.company && !(s.expiresAt && Date.parse(s.expiresAt) < Date.now()));

/** The single session of earlier versions becomes one entry of the map (same storage). */
function migrateLegacy(): void {
  for (const storage of storages()) {
    try {
      const text = storage.getItem(LEGACY);
      if (!text) continue;
      storage.removeItem(LEGACY);
      const s = JSON.parse(text) as Session;
      if (!live(s)) continue;
      writeMap(storage, { ...readMap(storage), [s.company]: s });
      if (!storage.getItem(CURRENT)) storage.setItem(CURRENT, s.company);
    } catch {
      /* unreadable: start signed out */
    }
  }
}

let sessions: Session[] = [];
let current: Session | null = null;
/** Called with the current session after every change (and why, and the session that ended if one did). */
type Listener = (session: Session | null, change: SessionChange, dropped?: Session) => void;
const listeners = new Set<Listener>();

/** Re-read both storages (another tab may have changed the remembered ones) and pick the current session. */
function reload(preferred?: string): void {
  const merged: SessionMap = {};
  for (const storage of [localStorage, sessionStorage]) for (const s of Object.values(readMap(storage))) if (live(s)) merged[s.company] = s;
  sessions = Object.values(merged).sort((a, b) => (a.companyName ?? a.company).localeCompare(b.companyName ?? b.company) || a.company.localeCompare(b.company));
  const wanted = [preferred, sessionStorage.getItem(CURRENT), localStorage.getItem(CURRENT)].find((code) => code && merged[code]);
  current = wanted ? merged[wanted]! : (sessions[0] ?? null);
  if (current) {
    sessionStorage.setItem(CURRENT, current.company);
    localStorage.setItem(CURRENT, current.company);
    // The login page offers the company used last first.
    if (getKnownCompanies()[0]?.code !== current.company) rememberCompany({ code: current.company, name: current.companyName, username: current.username });
  } else {
    sessionStorage.removeItem(CURRENT);
  }
}

function notify(change: SessionChange, dropped?: Session): void {
  for (const l of listeners) l(current, change, dropped);
}

try {
  migrateLegacy();
  reload();
} catch {
  /* storage blocked: no sessions */
}

export function getSession(): Session | null {
  return current;
}

/** Every company this browser (tab) is signed into, by name. */
export function getSessions(): Session[] {
  return sessions;
}

export function getToken(): string | undefined {
  return current?.token;
}

export function getKnownCompanies(): KnownCompany[] {
  try {
    const list = JSON.parse(localStorage.getItem(KNOWN) ?? '[]') as KnownCompany[];
    return Array.isArray(list) ? list.filter((k) => k && typeof k.code === 'string') : [];
  } catch {
    return [];
  }
}

/** Most recently used (current) first. */
function rememberCompany(entry: KnownCompany): void {
  const previous = getKnownCompanies().find((k) => k.code === entry.code);
  // Only what is known now replaces what was stored (a warehouse cleared to "all" is `warehouse: undefined`, on purpose).
  const known = Object.fromEntries(Object.entries(entry).filter(([key, value]) => value !== undefined || key === 'warehouse')) as KnownCompany;
  const next = [{ ...previous, ...known }, ...getKnownCompanies().filter((k) => k.code !== entry.code)].slice(0, MAX_KNOWN);
  localStorage.setItem(KNOWN, JSON.stringify(next));
}

/** Store a new session (replacing any of the same company) and make it current. */
export function addSession(s: Session, remember: boolean): void {
  for (const storage of storages()) {
    const map = readMap(storage);
    delete map[s.company];
    if (storage === (remember ? localStorage : sessionStorage)) map[s.company] = s;
    writeMap(storage, map);
  }
  rememberCompany({ code: s.company, name: s.companyName, username: s.username, warehouse: s.warehouse });
  reload(s.company);
  notify('login');
}

/** Change the current session (e.g. its warehouse), where it is stored. */
export function updateSession(changes: Partial<Omit<Session, 'company' | 'token'>>): void {
  if (!current) return;
  const next = { ...current, ...changes };
  for (const storage of storages()) {
    const map = readMap(storage);
    if (map[next.company]) writeMap(storage, { ...map, [next.company]: next });
  }
  if ('warehouse' in changes) rememberCompany({ code: next.company, warehouse: next.warehouse });
  reload(next.company);
  notify('update');
}

/** Make another signed-in company current. */
export function switchCompany(code: string): void {
  if (!sessions.some((s) => s.company === code) || current?.company === code) return;
  reload(code);
  notify('switch');
}

/** Forget one company's session; when it was current, another signed-in company (if any) becomes current. */
export function dropSession(code: string, change: 'logout' | 'expired' = 'logout'): void {
  const dropped = sessions.find((s) => s.company === code);
  for (const storage of storages()) {
    const map = readMap(storage);
    if (!map[code]) continue;
    delete map[code];
    writeMap(storage, map);
  }
  const keep = current && current.company !== code ? current.company : undefined;
  if (!keep) {
    sessionStorage.removeItem(CURRENT);
    if (localStorage.getItem(CURRENT) === code) localStorage.removeItem(CURRENT);
  }
  reload(keep);
  notify(change, dropped);
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * A 401 from the API: the token expired or was revoked. Drops the session that sent it (the
 * `Authorization` header of the failed request; without it, the current one), not another
 * company's that became current while the request was under way.
 */
export function onUnauthorized(authorization?: string): void {
  const token = authorization?.replace(/^Bearer\s+/i, '');
  const s = token ? sessions.find((x) => x.token === token) : current;
  if (s) dropSession(s.company, 'expired');
}
