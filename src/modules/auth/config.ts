/**
 * Login-security settings, from the environment (docs/security.md). Durations are seconds and may
 * have decimals (tests use fractions of a second to run fast).
 */
export interface SecurityConfig {
  /** Absolute lifetime of a login session. */
  sessionTtlMs: number;
  /** A session unused this long expires (API tokens have no idle limit, only their expiry). */
  sessionIdleMs: number;
  /** Failed logins per username allowed before backoff starts. */
  userFailuresAllowed: number;
  /** Failed logins per client address allowed before backoff starts (addresses may be shared). */
  ipFailuresAllowed: number;
  /** First lockout; doubled by every further failure, up to lockoutMaxMs. */
  lockoutBaseMs: number;
  lockoutMaxMs: number;
  /** Failures older than this are forgotten. */
  failureWindowMs: number;
  /** Requests per minute: login per client address, the rest of the API per token (or address); 0: no limit. */
  loginPerMinute: number;
  apiPerMinute: number;
}

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Math.round((Number.isFinite(value) && value >= 0 ? value : fallback) * 1000);
}

function count(name: string, fallback: number, zeroAllowed = false): number {
  const raw = process.env[name];
  const value = raw === undefined || raw.trim() === '' ? NaN : Number(raw);
  return Number.isInteger(value) && (value > 0 || (zeroAllowed && value === 0)) ? value : fallback;
}

export function securityConfig(): SecurityConfig {
  return {
    sessionTtlMs: seconds('CANGKU_SESSION_TTL_SECONDS', 12 * 3600),
    sessionIdleMs: seconds('CANGKU_SESSION_IDLE_SECONDS', 2 * 3600),
    userFailuresAllowed: count('CANGKU_LOGIN_FAILURES_ALLOWED', 5),
    ipFailuresAllowed: count('CANGKU_LOGIN_IP_FAILURES_ALLOWED', 30),
    lockoutBaseMs: seconds('CANGKU_LOGIN_LOCKOUT_SECONDS', 30),
    lockoutMaxMs: seconds('CANGKU_LOGIN_LOCKOUT_MAX_SECONDS', 15 * 60),
    failureWindowMs: seconds('CANGKU_LOGIN_FAILURE_WINDOW_SECONDS', 15 * 60),
    loginPerMinute: count('CANGKU_RATE_LIMIT_LOGIN_PER_MINUTE', 60, true),
    // A flood guard by default (10,000 a second per token, above what one server serves: the HTTP
    // benchmark sends ~3,000); lower it for servers facing the internet.
    apiPerMinute: count('CANGKU_RATE_LIMIT_PER_MINUTE', 600_000, true),
  };
}
