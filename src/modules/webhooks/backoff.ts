/** Retry policy of webhook deliveries (docs/webhooks.md#retries). */
export interface RetryPolicy {
  /** Delay before the second attempt; doubles with every failure. */
  baseMs: number;
  /** No wait is longer than this. */
  capMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 10_000, capMs: 3_600_000 };

/**
 * How long to wait after the `failures`-th failed attempt of an event: exponential (base * 2^(n-1)),
 * capped, with "equal jitter" (between half and all of it) so that receivers coming back from an
 * outage are not hit by every subscription in the same second.
 */
export function retryDelayMs(failures: number, policy: RetryPolicy = DEFAULT_RETRY, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const full = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(full / 2 + random() * (full / 2));
}
